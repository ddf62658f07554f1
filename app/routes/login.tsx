import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useNavigation, useSearchParams } from "@remix-run/react";
import { translate, useT } from "#app/i18n";
import { requireForm } from "#app/server/form-input.server";
import { getLocale } from "#app/server/locale.server";
import { retryAfterHeaders, throttledPasswordCheck } from "#app/server/rate-limit.server";
import { checkCredentials, getUser, startSession } from "#app/server/session.server";
import { localPath } from "#app/server/http-guards.server";

export const meta: MetaFunction = () => [{ title: "Gridwork" }];
export const headers = retryAfterHeaders;

export async function loader({ request }: LoaderFunctionArgs) {
  if (await getUser(request)) return redirect("/t");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const form = await requireForm(request);
  const locale = await getLocale(request);
  const login = String(form.get("login") ?? "").trim();
  const password = String(form.get("password") ?? "");
  if (!login || !password) return json({ error: translate(locale, "missingCredentials"), login }, { status: 400 });
  const ip = String((context as { clientIp?: string }).clientIp ?? "unknown");
  const checked = await throttledPasswordCheck(login, ip, () => checkCredentials(login, password));
  if (!checked.ok && checked.blocked) {
    return json(
      { error: translate(locale, "tooManyAttempts"), login },
      { status: 429, headers: { "Retry-After": String(checked.retryAfterSeconds) } },
    );
  }
  if (!checked.ok) return json({ error: translate(locale, "badCredentials"), login }, { status: 401 });
  const cookie = await startSession(request, checked.value, form.get("remember") === "on");
  return redirect(localPath(form.get("redirectTo")), { headers: { "Set-Cookie": cookie } });
}

export default function Login() {
  const t = useT();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  return (
    <div className="card login">
      <h1>{t("login")}</h1>
      <p className="field-description">{t("tagline")}</p>
      {data?.error ? (
        <p className="alert" role="alert" data-testid="login-error">
          {data.error}
        </p>
      ) : null}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/t"} />
        <div className="field">
          <label htmlFor="login">{t("loginName")}</label>
          <input id="login" name="login" autoComplete="username" defaultValue={data?.login} required />
        </div>
        <div className="field">
          <label htmlFor="password">{t("password")}</label>
          <input id="password" name="password" type="password" autoComplete="current-password" required />
        </div>
        <div className="field">
          <label className="inline">
            <input type="checkbox" name="remember" data-testid="stay-signed-in" /> {t("staySignedIn")}
          </label>
          <p className="field-description">{t("staySignedInHelp")}</p>
        </div>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("login")}
        </button>
      </Form>
    </div>
  );
}
