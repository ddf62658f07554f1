// The township admin's template upgrade: the template version the township is on, the newer
// published versions with their release notes and changes, and the upgrade itself with every
// conflict shown for a decision. The decisions travel in the form; the server re-runs the upgrade
// from the database each time (app/server/template-upgrade.server.ts).
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { pickText } from "#engine/i18n";
import type { Issue } from "#engine/issues";
import { ImpactSummary, ImpactTable } from "#app/components/deadline-impact-table";
import { IssueList } from "#app/components/issue-list";
import { useTownship, useWhen } from "#app/components/township";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import {
  loadUpgradeScreen,
  upgradeAction,
  type ChangeLine,
  type ConflictView,
  type UpgradePreview,
} from "#app/server/template-upgrade.server";
import { noRevalidateOn } from "#app/components/live-check";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  return json(await loadUpgradeScreen(getPrisma(), ctx));
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  return upgradeAction(getPrisma(), ctx, await requireForm(request));
}

type UpgradeResponse = {
  intent: "preview" | "publish";
  preview: UpgradePreview | null;
  changedSincePreview?: boolean;
  issues: Issue[];
};

export const shouldRevalidate = noRevalidateOn("preview");

export default function TemplateUpgrade() {
  const screen = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as UpgradeResponse | undefined;
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const when = useWhen();
  const preview = data?.preview ?? null;

  return (
    <div className="admin-page">
      <div className="card">
        <h1>{t("upgrade.title")}</h1>
        {screen.current ? (
          <dl className="facts">
            <dt>{t("upgrade.current")}</dt>
            <dd data-testid="current-template">
              {screen.current.name ? `${pickText(screen.current.name, locale)} ` : ""}
              <code>{screen.current.ref}</code>
            </dd>
            <dt>{t("configVersion")}</dt>
            <dd>v{screen.configVersion}</dd>
          </dl>
        ) : (
          <p>{t("upgrade.noTemplate")}</p>
        )}
        {screen.current && !screen.newer.length ? (
          <p className="notice" role="status" data-testid="up-to-date">
            {t("upgrade.upToDate")}
          </p>
        ) : null}
        <p className="field-description">
          {t("backTo")} <Link to={`/t/${tenant.code}/admin`}>{t("admin")}</Link>
        </p>
      </div>

      {screen.newer.map((v) => (
        <section
          className="card"
          key={v.ref}
          data-testid="template-version"
          data-ref={v.ref}
          aria-labelledby={`version-${v.version}`}
        >
          <h2 id={`version-${v.version}`}>{t("upgrade.newerVersion", { ref: v.ref })}</h2>
          <p className="field-description">
            {t("upgrade.publishedOn", { by: v.publishedBy, at: when(v.publishedAt) })}
          </p>
          <h3>{t("upgrade.releaseNotes")}</h3>
          <p data-testid="release-notes">{v.notes ? pickText(v.notes, locale) : t("upgrade.noNotes")}</p>
          <h3>{t("upgrade.changesFrom", { ref: screen.current?.ref ?? "—" })}</h3>
          <ChangeList lines={v.changes} empty={t("upgrade.noTemplateChanges")} testId="template-changes" />
          <Form method="post">
            <input type="hidden" name="to" value={v.ref} />
            <input type="hidden" name="baseVersion" value={screen.configVersion} />
            <button type="submit" name="intent" value="preview" className="primary" disabled={busy}>
              {t("upgrade.preview", { version: v.version })}
            </button>
          </Form>
        </section>
      ))}

      {data?.issues.length ? (
        <IssueList issues={data.issues} title={t("upgrade.refused")} testId="upgrade-refused" />
      ) : null}
      {preview ? (
        <Preview preview={preview} changedSincePreview={data?.changedSincePreview === true} busy={busy} />
      ) : null}
      {preview?.ready && preview.impact?.rows.length ? <ImpactTable impact={preview.impact} /> : null}
    </div>
  );
}

function Preview({
  preview,
  changedSincePreview,
  busy,
}: {
  preview: UpgradePreview;
  changedSincePreview: boolean;
  busy: boolean;
}) {
  const t = useT();
  const open = preview.conflicts.filter((c) => !c.decided).length;
  return (
    <section className="card" data-testid="upgrade-preview" aria-labelledby="preview-title" aria-live="polite">
      <h2 id="preview-title">{t("upgrade.previewTitle", { from: preview.from ?? "—", to: preview.to })}</h2>
      {changedSincePreview ? (
        <p className="alert" role="alert">
          {t("upgrade.changedSincePreview")}
        </p>
      ) : null}
      <IssueList issues={preview.issues} title={t("upgrade.issues")} testId="upgrade-issues" />
      {/* Keyed by target: another version's preview starts from a fresh form. */}
      <Form method="post" key={preview.to}>
        <input type="hidden" name="to" value={preview.to} />
        <input type="hidden" name="baseVersion" value={preview.baseVersion} />
        <input type="hidden" name="previewed" value={preview.fingerprint} />
        {preview.conflicts.length ? (
          <>
            <h3 data-testid="conflict-count">
              {open ? t("upgrade.conflictsToDecide", { n: open }) : t("upgrade.allDecided")}
            </h3>
            <p className="field-description">{t("upgrade.conflictsHelp")}</p>
            {preview.conflicts.map((c, i) => (
              <Conflict key={c.path} conflict={c} index={i} from={preview.from ?? "—"} to={preview.to} />
            ))}
            <p>
              <button type="submit" name="intent" value="preview" className="btn btn-secondary" disabled={busy}>
                {t("upgrade.applyDecisions")}
              </button>
            </p>
          </>
        ) : null}
        {preview.changes ? (
          <>
            <h3>{t("upgrade.resultChanges")}</h3>
            <ChangeList lines={preview.changes} empty={t("upgrade.noResultChanges")} testId="upgrade-changes" />
          </>
        ) : null}
        {preview.ready ? (
          <>
            {preview.impact ? <ImpactSummary impact={preview.impact} level={3} /> : null}
            <p className="notice" role="status">
              {t("upgrade.ready")}
            </p>
            <button
              type="submit"
              name="intent"
              value="publish"
              className="primary"
              disabled={busy}
              data-testid="publish-upgrade"
            >
              {t("upgrade.publish", { n: preview.baseVersion + 1 })}
            </button>
          </>
        ) : null}
      </Form>
    </section>
  );
}

function Conflict({
  conflict: c,
  index,
  from,
  to,
}: {
  conflict: ConflictView;
  index: number;
  from: string;
  to: string;
}) {
  const t = useT();
  const locale = useLocale();
  const other = locale === "en" ? "zh" : "en";
  const id = `conflict-${index}`;
  const choice = c.decision?.choice;
  return (
    <fieldset
      data-testid="conflict"
      data-path={c.path}
      data-decided={c.decided ? "yes" : "no"}
      aria-describedby={`${id}-message`}
    >
      <legend>
        {pickText(c.where, locale)}{" "}
        <small className="badge">{c.decided ? t("upgrade.decided") : t("upgrade.undecided")}</small>
      </legend>
      <p id={`${id}-message`} style={{ marginTop: 0 }}>
        <code>{c.path}</code> {pickText(c.message, locale)}
        <span className="field-description" lang={other === "en" ? "en" : "zh-CN"}>
          {" "}
          / {c.message[other]}
        </span>{" "}
        <small className="field-description">[{c.code}]</small>
      </p>
      <div style={{ display: "grid", gridTemplateColumns: "repeat(auto-fit, minmax(12rem, 1fr))", gap: "0.6rem" }}>
        <Value label={t("upgrade.base", { ref: from })} value={c.base} testId="value-base" />
        <Value label={t("upgrade.ours")} value={c.ours} testId="value-ours" />
        <Value label={t("upgrade.theirs", { ref: to })} value={c.theirs} testId="value-theirs" />
      </div>
      <div
        role="radiogroup"
        aria-label={`${t("upgrade.decision")}：${pickText(c.where, locale)}`}
        style={{ marginTop: "0.6rem" }}
      >
        <label className="inline">
          <input type="radio" name={`choice:${c.path}`} value="ours" defaultChecked={choice === "ours"} />{" "}
          {t("upgrade.keepOurs")}
        </label>
        <label className="inline">
          <input type="radio" name={`choice:${c.path}`} value="theirs" defaultChecked={choice === "theirs"} />{" "}
          {t("upgrade.takeTheirs")}
        </label>
        <label className="inline">
          <input type="radio" name={`choice:${c.path}`} value="custom" defaultChecked={choice === "custom"} />{" "}
          {t("upgrade.custom")}
        </label>
      </div>
      <label htmlFor={`${id}-value`} style={{ marginTop: "0.4rem" }}>
        {t("upgrade.customValue")}
      </label>
      <textarea
        id={`${id}-value`}
        name={`value:${c.path}`}
        rows={Math.min(8, Math.max(2, (c.decision?.text ?? c.ours ?? c.theirs ?? "").split("\n").length))}
        defaultValue={c.decision?.text ?? c.ours ?? c.theirs ?? ""}
        aria-invalid={c.error ? true : undefined}
        aria-describedby={c.error ? `${id}-error` : `${id}-help`}
        spellCheck={false}
        style={{ fontFamily: "monospace" }}
      />
      <p id={`${id}-help`} className="field-description">
        {t("upgrade.customHelp")}
      </p>
      {c.error ? (
        <p id={`${id}-error`} className="error" role="alert" data-testid="conflict-error">
          {pickText(c.error, locale)} / {c.error[other]}
        </p>
      ) : null}
    </fieldset>
  );
}

function Value({ label, value, testId }: { label: string; value: string | null; testId: string }) {
  const t = useT();
  return (
    <figure style={{ margin: 0 }} data-testid={testId}>
      <figcaption className="field-description">{label}</figcaption>
      <pre
        style={{
          margin: 0,
          padding: "0.4rem",
          background: "#f6f8fa",
          border: "1px solid var(--line)",
          borderRadius: "4px",
          whiteSpace: "pre-wrap",
          overflowWrap: "anywhere",
        }}
      >
        {value ?? t("upgrade.none")}
      </pre>
    </figure>
  );
}

function ChangeList({ lines, empty, testId }: { lines: ChangeLine[]; empty: string; testId: string }) {
  const locale = useLocale();
  if (!lines.length) return <p data-testid={testId}>{empty}</p>;
  return (
    <ul data-testid={testId}>
      {lines.map((l) => (
        <li key={`${l.mark}${l.path}`} data-path={l.path}>
          <span aria-hidden="true">{l.mark} </span>
          {pickText(l.message, locale)}
        </li>
      ))}
    </ul>
  );
}
