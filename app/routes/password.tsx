// Choosing one's own password: required after a one-time password (onboarding, invitation),
// open to anyone logged in. Other sessions of the user end; this one is renewed.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { isMessageKey, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { hashPassword, passwordProblems, verifyPassword } from "#app/server/password.server";
import { endOtherSessions, getUser, startSession } from "#app/server/session.server";
import { localPath } from "#app/server/http-guards.server";
import { retryAfterHeaders, throttledPasswordCheck } from "#app/server/rate-limit.server";

export const headers = retryAfterHeaders;

// Back to where the person was going, never to this page again.
const safeRedirect = (to: unknown) => {
  const path = localPath(to);
  return path.startsWith("/password") ? "/t" : path;
};

async function requireLoggedIn(request: Request) {
  const user = await getUser(request);
  if (!user) throw redirect(`/login?redirectTo=${encodeURIComponent("/password")}`);
  return user;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireLoggedIn(request);
  return json({ login: user.login, required: user.mustChangePassword });
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireLoggedIn(request);
  const form = await requireForm(request);
  const current = String(form.get("current") ?? "");
  const next = String(form.get("next") ?? "");
  const confirm = String(form.get("confirm") ?? "");
  const db = getPrisma();
  const row = await db.user.findUniqueOrThrow({ where: { id: user.id }, select: { passwordHash: true } });
  // The current password first, throttled like the login; every failure of it answers the same.
  const ip = String((context as { clientIp?: string }).clientIp ?? "unknown");
  const checked = await throttledPasswordCheck(user.login, ip, () => verifyPassword(current, row.passwordHash));
  if (!checked.ok && checked.blocked)
    return json(
      { errors: ["tooManyAttempts"] },
      { status: 429, headers: { "Retry-After": String(checked.retryAfterSeconds) } },
    );
  if (!checked.ok) return json({ errors: ["wrongCurrentPassword"] }, { status: 400 });
  const problems = passwordProblems(user.login, current, next, confirm);
  if (problems.length) return json({ errors: problems.map((p) => `password.${p}`) }, { status: 400 });
  await db.user.update({
    where: { id: user.id },
    data: { passwordHash: await hashPassword(next), mustChangePassword: false },
  });
  await endOtherSessions(request, user.id);
  const to = safeRedirect(form.get("redirectTo"));
  return redirect(`${to}${to.includes("?") ? "&" : "?"}passwordChanged=1`, {
    headers: { "Set-Cookie": await startSession(request, user.id) },
  });
}

export default function ChangePassword() {
  const { login, required } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const [params] = useSearchParams();
  const navigation = useNavigation();
  const t = useT();
  return (
    <div className="card login">
      <h1>{t("changePassword")}</h1>
      {required ? (
        <p className="notice" role="status" data-testid="password-required">
          {t("mustChangePassword")}
        </p>
      ) : null}
      {data?.errors?.length ? (
        <ul className="alert" role="alert" data-testid="password-errors">
          {data.errors.map((e) => (
            <li key={e}>{isMessageKey(e) ? t(e) : e}</li>
          ))}
        </ul>
      ) : null}
      <Form method="post">
        <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/t"} />
        {/* For password managers: whose password this is. */}
        <input type="text" name="username" autoComplete="username" value={login} readOnly hidden />
        <div className="field">
          <label htmlFor="current">{t("currentPassword")}</label>
          <input id="current" name="current" type="password" autoComplete="current-password" required />
        </div>
        <div className="field">
          <label htmlFor="next">{t("newPassword")}</label>
          <input
            id="next"
            name="next"
            type="password"
            autoComplete="new-password"
            minLength={10}
            required
            aria-describedby="password-rules"
          />
          <p id="password-rules" className="field-description">
            {t("passwordRules")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="confirm">{t("confirmPassword")}</label>
          <input id="confirm" name="confirm" type="password" autoComplete="new-password" required />
        </div>
        <button type="submit" className="primary" disabled={navigation.state === "submitting"}>
          {t("savePassword")}
        </button>
      </Form>
    </div>
  );
}
