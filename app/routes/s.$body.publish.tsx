// Publishing a template version: paste or upload the template JSON (or start from the newest
// version of one of the body's templates), write the release notes, check, publish. Checking shows
// the same bilingual issues as the CLI, what changed since the previous version and how many
// townships could upgrade; a published version never changes afterwards.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { useRef } from "react";
import { isJsonObject } from "#engine/config/id-paths";
import { nextMinorVersion } from "#engine/config/versions";
import { pickText } from "#engine/i18n";
import { townshipConfigSchema } from "#schemas/township-config";
import { IssueList } from "#app/components/issue-list";
import { UpgradeReadiness } from "#app/components/upgrade-readiness";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import {
  checkRelease,
  latestDocument,
  publishRelease,
  requirePublisher,
  requireStandardsContext,
  type ReleaseCheck,
} from "#app/server/standards.server";

const BLANK = { kind: "template", id: "", version: "1.0.0", name: { zh: "", en: "" } };

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStandardsContext(request, params.body);
  requirePublisher(ctx);
  const from = new URL(request.url).searchParams.get("from");
  const latest = from ? await latestDocument(getPrisma(), ctx.tenant.id, from) : undefined;
  let document: unknown = BLANK;
  if (latest && isJsonObject(latest.document)) {
    // The next version starts as the newest one with the version bumped and the notes emptied.
    const { releaseNotes: _previousNotes, ...rest } = latest.document;
    // The database keeps JSON keys in its own order; show them in the schema's order.
    const order = Object.keys(townshipConfigSchema.properties);
    const keys = Object.keys(rest).sort((a, b) => order.indexOf(a) - order.indexOf(b));
    document = Object.fromEntries(keys.map((k) => [k, k === "version" ? nextMinorVersion(latest.version) : rest[k]]));
  }
  return json({
    from: latest ? from : null,
    previous: latest?.version ?? null,
    text: JSON.stringify(document, null, 2),
  });
}

type ActionData = { intent: "check" | "publish" } & Omit<ReleaseCheck, "ref"> & { ref: string | null };

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireStandardsContext(request, params.body);
  requirePublisher(ctx);
  const form = await requireForm(request);
  const text = String(form.get("document") ?? "");
  const notes = { zh: String(form.get("notesZh") ?? ""), en: String(form.get("notesEn") ?? "") };
  const db = getPrisma();
  if (form.get("intent") === "publish") {
    const result = await publishRelease(db, ctx, text, notes);
    if (result.ok)
      return redirect(
        `/s/${ctx.tenant.code}?published=${encodeURIComponent(result.ref)}${result.status === "unchanged" ? "&unchanged=1" : ""}`,
      );
    const { ok: _ok, ...check } = result;
    return json<ActionData>({ intent: "publish", ...check }, { status: 422 });
  }
  return json<ActionData>({ intent: "check", ...(await checkRelease(db, ctx, text, notes)) });
}

export default function PublishTemplate() {
  const { from, previous, text } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>() as ActionData | undefined;
  const navigation = useNavigation();
  const t = useT();
  const locale = useLocale();
  const documentRef = useRef<HTMLTextAreaElement>(null);
  const busy = navigation.state !== "idle";
  return (
    <div className="card" data-testid="publish-template">
      <h1>{t("stdPublishNew")}</h1>
      <p className="field-description">
        {from ? t("stdStartedFrom", { ref: `${from}@${previous}` }) : t("stdPublishHelp")}
      </p>
      <Form method="post">
        <div className="field">
          <label htmlFor="template-file">{t("stdUpload")}</label>
          <input
            id="template-file"
            type="file"
            accept="application/json,.json"
            onChange={async (e) => {
              const file = e.currentTarget.files?.[0];
              if (file && documentRef.current) documentRef.current.value = await file.text();
            }}
          />
        </div>
        <div className="field">
          <label htmlFor="document">{t("stdDocument")}</label>
          <textarea
            id="document"
            name="document"
            ref={documentRef}
            defaultValue={text}
            rows={18}
            spellCheck={false}
            style={{ maxWidth: "100%", fontFamily: "monospace", fontSize: "0.85rem" }}
          />
        </div>
        <div className="field">
          <label htmlFor="notesZh">{t("stdNotesZh")}</label>
          <textarea id="notesZh" name="notesZh" rows={3} aria-describedby="notes-help" />
          <p id="notes-help" className="field-description">
            {t("stdNotesHelp")}
          </p>
        </div>
        <div className="field">
          <label htmlFor="notesEn">{t("stdNotesEn")}</label>
          <textarea id="notesEn" name="notesEn" rows={3} />
        </div>
        {result ? <CheckResult result={result} locale={locale} /> : null}
        <div className="actions">
          <button type="submit" name="intent" value="check" className="btn btn-secondary" disabled={busy}>
            {t("stdCheck")}
          </button>
          <button type="submit" name="intent" value="publish" className="primary" disabled={busy}>
            {t("stdPublish")}
          </button>
        </div>
      </Form>
    </div>
  );
}

function CheckResult({ result, locale }: { result: ActionData; locale: "zh-CN" | "en" }) {
  const t = useT();
  return (
    <section data-testid="release-check" aria-live="polite">
      <IssueList
        issues={result.issues}
        title={t(result.intent === "publish" ? "stdNotPublished" : "stdFix")}
        testId="release-issues"
      />
      {result.issues.length === 0 && result.ref ? (
        <p className="notice" role="status">
          {t("stdReady", { ref: result.ref })}
        </p>
      ) : null}
      {result.previous ? (
        <>
          <h2>{t("stdChangesSince", { ref: result.previous })}</h2>
          {result.changes.length === 0 ? (
            <p>{t("stdNoChanges")}</p>
          ) : (
            <ul data-testid="release-changes">
              {result.changes.map((c, i) => (
                <li key={i}>{pickText(c, locale)}</li>
              ))}
            </ul>
          )}
          <p data-testid="release-upgradable">{t("stdUpgradable", { n: result.upgradable })}</p>
          {result.upgrades.length ? (
            <ul data-testid="release-upgrades">
              {result.upgrades.map((u) => (
                <li key={u.code} data-township={u.code}>
                  {locale === "en" ? (u.nameEn ?? u.name) : u.name}{" "}
                  <small className="field-description">{u.from}</small>
                  <UpgradeReadiness r={u} />
                </li>
              ))}
            </ul>
          ) : null}
        </>
      ) : result.ref ? (
        <p>{t("stdFirstVersion")}</p>
      ) : null}
    </section>
  );
}
