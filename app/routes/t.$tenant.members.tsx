// Township admins manage their people: invite, posts and backups (AB岗), unit, away, deactivate.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { StaffingWarningCard } from "#app/components/stuck";
import { useTownship } from "#app/components/township";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import {
  inviteMember,
  listMembers,
  resetMemberPassword,
  updateMember,
  type MemberInput,
} from "#app/server/members.server";
import { staffingWarning } from "#app/server/stuck.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { endOfLocalDay } from "#engine/calendar";
import { unitRole } from "#engine/org";
import type { Issue } from "#engine/issues";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Membership");
  const [members, warning] = await Promise.all([listMembers(ctx), staffingWarning(getPrisma(), ctx, ctx.now)]);
  return json({
    warning,
    members: members.map((m) => ({
      id: m.id,
      login: m.user.login,
      name: m.user.displayName,
      posts: m.posts,
      backupPosts: m.backupPosts,
      unitId: m.unitId,
      awayUntil: m.awayUntil?.toISOString().slice(0, 10) ?? "",
      active: m.active,
      me: m.userId === ctx.user.id,
    })),
    posts: [...ctx.compiled.posts.keys()],
    units: [...ctx.compiled.org.byId.keys()],
    // A new person sits in the command room unless chosen otherwise (the unit kind, not an id).
    defaultUnit: [...ctx.compiled.org.byId.values()].find((u) => unitRole(u.kind) === "command-room")?.id,
  });
}

/** The end of a date in the township's zone; an Invalid Date for a malformed one, as before. */
function endOfDay(timeZone: string, day: string): Date {
  try {
    return endOfLocalDay(timeZone, day);
  } catch {
    return new Date(Number.NaN);
  }
}

function readInput(form: FormData, timeZone: string): MemberInput {
  const away = String(form.get("awayUntil") ?? "");
  return {
    posts: form.getAll("posts").map(String),
    backupPosts: form.getAll("backupPosts").map(String),
    unitId: String(form.get("unitId") ?? ""),
    // Away until the end of that day in the township's time zone.
    awayUntil: away ? endOfDay(timeZone, away) : null,
    ...(form.has("intent") && form.get("intent") !== "invite" ? { active: form.get("active") === "on" } : {}),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Membership");
  const locale = await getLocale(request);
  const form = await requireForm(request);
  const db = getPrisma();
  const localize = (issues: Issue[]) => issues.map((i) => ({ path: i.path, message: renderIssue(locale, i) }));
  if (form.get("intent") === "invite") {
    const r = await inviteMember(
      db,
      ctx,
      String(form.get("login") ?? "").trim(),
      String(form.get("displayName") ?? ""),
      readInput(form, ctx.compiled.defaults.timeZone),
      ctx.now,
    );
    return r.ok
      ? json({ invited: { login: r.login, password: r.oneTimePassword }, reset: null, issues: [] })
      : json({ invited: null, reset: null, issues: localize(r.issues) }, { status: 422 });
  }
  if (form.get("intent") === "reset-password") {
    const r = await resetMemberPassword(db, ctx, String(form.get("membershipId") ?? ""), ctx.now);
    return r.ok
      ? json({ invited: null, reset: { login: r.login, password: r.oneTimePassword }, issues: [] })
      : json({ invited: null, reset: null, issues: localize(r.issues) }, { status: 422 });
  }
  const r = await updateMember(
    ctx,
    String(form.get("membershipId") ?? ""),
    readInput(form, ctx.compiled.defaults.timeZone),
    ctx.now,
  );
  return r.ok
    ? json({ invited: null, reset: null, issues: [] })
    : json({ invited: null, reset: null, issues: localize(r.issues) }, { status: 422 });
}

function MemberFields({
  posts,
  units,
  defaultUnit,
  value,
}: {
  posts: string[];
  units: string[];
  defaultUnit?: string;
  value?: { posts: string[]; backupPosts: string[]; unitId: string; awayUntil: string };
}) {
  const { labels } = useTownship();
  const t = useT();
  return (
    <>
      <fieldset>
        <legend>{t("posts")}</legend>
        {posts.map((p) => (
          <label key={p} className="inline">
            <input type="checkbox" name="posts" value={p} defaultChecked={value?.posts.includes(p)} />{" "}
            {labels.posts[p] ?? p}
          </label>
        ))}
      </fieldset>
      <fieldset>
        <legend>{t("backupPosts")}</legend>
        {posts.map((p) => (
          <label key={p} className="inline">
            <input type="checkbox" name="backupPosts" value={p} defaultChecked={value?.backupPosts.includes(p)} />{" "}
            {labels.posts[p] ?? p}
          </label>
        ))}
      </fieldset>
      <label>
        {t("unit")}
        <select name="unitId" defaultValue={value?.unitId ?? defaultUnit} required>
          {units.map((u) => (
            <option key={u} value={u}>
              {labels.units[u] ?? u}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("awayUntil")}
        <input type="date" name="awayUntil" defaultValue={value?.awayUntil} />
      </label>
    </>
  );
}

export default function Members() {
  const { members, posts, units, defaultUnit, warning } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { tenant, labels } = useTownship();
  const t = useT();
  useLocale();
  const issues = (result?.issues ?? []) as Array<{ path: string; message: string }>;
  return (
    <>
      <div className="card">
        <h1>{t("members")}</h1>
        <p>
          <Link to={`/t/${tenant.code}/rota`}>{t("dutyRota")}</Link>
        </p>
        <StaffingWarningCard warning={warning} />
        {issues.length ? (
          <ul className="alert" role="alert" data-testid="member-errors">
            {issues.map((i) => (
              <li key={i.path + i.message}>{i.message}</li>
            ))}
          </ul>
        ) : null}
        {result?.invited ? (
          <p className="notice" role="status" data-testid="invited">
            {t("invited", { login: result.invited.login })}{" "}
            {result.invited.password ? (
              <>
                {t("oneTimePassword")}: <code data-testid="one-time-password">{result.invited.password}</code>
              </>
            ) : null}
          </p>
        ) : null}
        {result?.reset ? (
          <p className="notice" role="status" data-testid="password-reset">
            {t("passwordReset", { login: result.reset.login })} {t("oneTimePassword")}:{" "}
            <code data-testid="one-time-password">{result.reset.password}</code>
          </p>
        ) : null}
        <table data-testid="members">
          <thead>
            <tr>
              <th>{t("member")}</th>
              <th>{t("posts")}</th>
              <th>{t("backupPosts")}</th>
              <th>{t("unit")}</th>
              <th>{t("status")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.id} data-login={m.login}>
                <td>
                  {m.name}
                  <br />
                  <small>{m.login}</small>
                </td>
                <td>{m.posts.map((p) => labels.posts[p] ?? p).join("、")}</td>
                <td>{m.backupPosts.map((p) => labels.posts[p] ?? p).join("、")}</td>
                <td>{labels.units[m.unitId] ?? m.unitId}</td>
                <td>
                  {m.active
                    ? m.awayUntil
                      ? t("awayTill", { d: m.awayUntil })
                      : t("activeMember")
                    : t("inactiveMember")}
                </td>
                <td>
                  <details>
                    <summary>{t("edit")}</summary>
                    <Form method="post">
                      <input type="hidden" name="intent" value="update" />
                      <input type="hidden" name="membershipId" value={m.id} />
                      <MemberFields posts={posts} units={units} value={m} />
                      <label className="inline">
                        <input type="checkbox" name="active" defaultChecked={m.active} disabled={m.me} />{" "}
                        {t("activeMember")}
                      </label>
                      {m.me ? <input type="hidden" name="active" value="on" /> : null}
                      <button type="submit" className="primary">
                        {t("save")}
                      </button>
                    </Form>
                    {m.me ? null : (
                      <Form
                        method="post"
                        onSubmit={(e) => {
                          if (!window.confirm(t("resetPasswordConfirm", { name: m.name }))) e.preventDefault();
                        }}
                      >
                        <input type="hidden" name="intent" value="reset-password" />
                        <input type="hidden" name="membershipId" value={m.id} />
                        <button type="submit" className="btn btn-secondary">
                          {t("resetPassword")}
                        </button>
                      </Form>
                    )}
                  </details>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="card">
        <h2>{t("invite")}</h2>
        <Form method="post" data-testid="invite-form">
          <input type="hidden" name="intent" value="invite" />
          <label>
            {t("loginName")}
            <input name="login" required autoComplete="off" />
          </label>
          <label>
            {t("displayName")}
            <input name="displayName" required />
          </label>
          <MemberFields posts={posts} units={units} defaultUnit={defaultUnit} />
          <button type="submit" className="primary">
            {t("invite")}
          </button>
        </Form>
      </div>
    </>
  );
}
