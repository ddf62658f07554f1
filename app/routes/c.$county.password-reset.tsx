// The county admin gives a new one-time password to someone who forgot theirs and works in more
// than one of the county's townships (a township admin may reset only its own people).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { IssueList } from "#app/components/issue-list";
import { useT } from "#app/i18n";
import { requireCountyAdmin, requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { resetPasswordInCounty } from "#app/server/members.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  requireCountyAdmin(await requireCountyContext(request, params.county));
  return null;
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  requireCountyAdmin(ctx);
  const form = await requireForm(request);
  const result = await resetPasswordInCounty(getPrisma(), ctx, String(form.get("login") ?? ""), ctx.now);
  return json(result, { status: result.ok ? 200 : 422 });
}

export default function CountyPasswordReset() {
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  return (
    <div className="card">
      <h1>{t("resetPassword")}</h1>
      <p className="field-description">{t("countyResetHelp")}</p>
      {result?.ok ? (
        <p className="notice" role="status" data-testid="password-reset">
          {t("passwordReset", { login: result.login })} {t("oneTimePassword")}:{" "}
          <code data-testid="one-time-password">{result.oneTimePassword}</code>
        </p>
      ) : null}
      {result && !result.ok ? <IssueList issues={result.issues} testId="reset-issues" /> : null}
      <Form method="post">
        <div className="field">
          <label htmlFor="login">{t("loginName")}</label>
          <input id="login" name="login" required autoComplete="off" />
        </div>
        <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
          {t("resetPassword")}
        </button>
      </Form>
    </div>
  );
}
