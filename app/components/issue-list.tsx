// Config and input problems as the CLI prints them: where (a JSON pointer), what, in Chinese and
// English — the reader's language first.
import { useLocale, useT } from "#app/i18n";
import { type Renderable, renderIssue } from "#app/locales/issues/index";

/** An engine issue (code and values) or one with its text fixed, where it was found. */
export type ShownIssue = Renderable & { path: string; code: string; where?: string };

export function IssueList({
  issues,
  title,
  testId,
}: {
  issues: readonly ShownIssue[];
  title?: string;
  testId?: string;
}) {
  const locale = useLocale();
  const t = useT();
  const other = locale === "en" ? "zh-CN" : "en";
  if (!issues.length) return null;
  return (
    <div className="alert" role="alert" data-testid={testId}>
      {title ? <p style={{ marginTop: 0 }}>{title}</p> : null}
      <ul className="issues">
        {issues.map((i, k) => (
          <li key={`${i.path}|${i.code}|${k}`} data-path={i.path}>
            <code>{i.path || "/"}</code>{" "}
            {i.where === "draft" ? (
              <small>[{t("whereDraft")}]</small>
            ) : i.where === "config" ? (
              <small>[{t("whereConfig")}]</small>
            ) : i.where === "designer" ? (
              <small>[{t("whereDesigner")}]</small>
            ) : null}{" "}
            <span>{renderIssue(locale, i)}</span>
            <span className="field-description" lang={other}>
              {" "}
              / {renderIssue(other, i)}
            </span>{" "}
            <small className="field-description">[{i.code}]</small>
          </li>
        ))}
      </ul>
    </div>
  );
}

/**
 * The banner above a generated form after a refused submission: "fix the marked fields", plus the
 * issues no field shows (those are listed; field issues appear beside their fields).
 */
export function FormErrors({
  issues,
  general,
}: {
  issues: readonly unknown[];
  general: ReadonlyArray<{ path: string; code: string; message: string }>;
}) {
  const t = useT();
  if (!issues.length) return null;
  return (
    <div className="alert" role="alert" data-testid="form-errors">
      {t("fixErrors")}
      {general.length ? (
        <ul>
          {general.map((i) => (
            <li key={i.path + i.code}>{i.message}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
