// The villages/communities/grids of a township as an editable table, with CSV/XLSX import: the
// file is uploaded with a progress bar and checked on the server; problems are listed by row.
import { useRef, useState } from "react";
import { ORG_COLUMNS, ORG_IMPORT_KINDS, type OrgRow, type RowIssue } from "#engine/org-import";
import { useLocale, useT, type MessageKey } from "#app/i18n";

const COLUMN_KEYS: Record<(typeof ORG_COLUMNS)[number], MessageKey> = {
  kind: "colKind",
  id: "colId",
  name: "colName",
  name_en: "colNameEn",
  parent: "colParent",
  gridType: "colGridType",
};
const KIND_KEYS: Record<string, MessageKey> = {
  village: "kindVillage",
  community: "kindCommunity",
  grid: "kindGrid",
  "micro-grid": "kindMicroGrid",
};

const emptyRow = (): OrgRow => ({ kind: "village", id: "", name: "", name_en: "", parent: "", gridType: "" });

export function OrgTable(props: {
  rows: OrgRow[];
  onChange: (rows: OrgRow[]) => void;
  issues: readonly RowIssue[];
  parents: ReadonlyArray<{ id: string; label: string }>;
}) {
  const t = useT();
  const locale = useLocale();
  const { rows, onChange } = props;
  const set = (i: number, column: keyof OrgRow, value: string) =>
    onChange(rows.map((r, k) => (k === i ? { ...r, [column]: value } : r)));
  const rowHasIssue = new Set(props.issues.map((i) => i.row));
  return (
    <>
      <table data-testid="org-table">
        <thead>
          <tr>
            <th>#</th>
            {ORG_COLUMNS.map((c) => (
              <th key={c} scope="col">
                {t(COLUMN_KEYS[c])}
              </th>
            ))}
            <th />
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => {
            const label = (c: keyof OrgRow) => `${t("rowN", { n: i + 1 })} ${t(COLUMN_KEYS[c])}`;
            return (
              <tr key={i} className={rowHasIssue.has(i + 1) ? "row-error" : undefined}>
                <td>{i + 1}</td>
                <td>
                  <select aria-label={label("kind")} value={row.kind} onChange={(e) => set(i, "kind", e.target.value)}>
                    {ORG_IMPORT_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(KIND_KEYS[k]!)}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  <input aria-label={label("id")} value={row.id} onChange={(e) => set(i, "id", e.target.value)} />
                </td>
                <td>
                  <input aria-label={label("name")} value={row.name} onChange={(e) => set(i, "name", e.target.value)} />
                </td>
                <td>
                  <input
                    aria-label={label("name_en")}
                    value={row.name_en}
                    onChange={(e) => set(i, "name_en", e.target.value)}
                  />
                </td>
                <td>
                  <input
                    aria-label={label("parent")}
                    value={row.parent}
                    list="org-parents"
                    onChange={(e) => set(i, "parent", e.target.value)}
                  />
                </td>
                <td>
                  <select
                    aria-label={label("gridType")}
                    value={row.gridType}
                    onChange={(e) => set(i, "gridType", e.target.value)}
                  >
                    <option value="">—</option>
                    <option value="comprehensive">{t("gridComprehensive")}</option>
                    <option value="dedicated">{t("gridDedicated")}</option>
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() => onChange(rows.filter((_, k) => k !== i))}
                    aria-label={`${t("remove")} ${t("rowN", { n: i + 1 })}`}
                  >
                    {t("remove")}
                  </button>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <datalist id="org-parents">
        {props.parents.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </datalist>
      <p>
        <button type="button" onClick={() => onChange([...rows, emptyRow()])}>
          {t("addRow")}
        </button>
      </p>
      {props.issues.length ? (
        <div className="alert" data-testid="org-issues">
          <p style={{ marginTop: 0 }}>{t("rowProblems")}</p>
          <ul>
            {props.issues.map((i, k) => (
              <li key={k}>{locale === "en" ? i.message.en : i.message.zh}</li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}

type ImportResult = { rows: OrgRow[]; issues: RowIssue[] };

/** Uploads a file with XMLHttpRequest, for a real upload progress bar; the server checks every row. */
export function OrgImport(props: {
  action: string;
  fields: Record<string, string>;
  onImported: (rows: OrgRow[]) => void;
}) {
  const t = useT();
  const locale = useLocale();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<
    | { kind: "idle" }
    | { kind: "uploading"; percent: number }
    | { kind: "checking" }
    | { kind: "done"; count: number }
    | { kind: "failed"; issues: RowIssue[] }
  >({ kind: "idle" });

  function upload(file: File) {
    const body = new FormData();
    body.set("file", file);
    for (const [k, v] of Object.entries(props.fields)) body.set(k, v);
    const xhr = new XMLHttpRequest();
    xhr.open("POST", props.action);
    xhr.responseType = "json";
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) setPhase({ kind: "uploading", percent: Math.round((e.loaded / e.total) * 100) });
    };
    xhr.upload.onload = () => setPhase({ kind: "checking" });
    xhr.onload = () => {
      const result = xhr.response as ImportResult | null;
      if (!result || !Array.isArray(result.issues)) {
        setPhase({
          kind: "failed",
          issues: [
            {
              row: 1,
              code: "import.failed",
              message: { zh: `导入失败（${xhr.status}）`, en: `Import failed (${xhr.status})` },
            },
          ],
        });
      } else if (result.issues.length) {
        setPhase({ kind: "failed", issues: result.issues });
      } else {
        props.onImported(result.rows);
        setPhase({ kind: "done", count: result.rows.length });
      }
      if (input.current) input.current.value = "";
    };
    xhr.onerror = () =>
      setPhase({
        kind: "failed",
        issues: [
          { row: 1, code: "import.failed", message: { zh: "网络错误，导入失败", en: "Network error; import failed" } },
        ],
      });
    setPhase({ kind: "uploading", percent: 0 });
    xhr.send(body);
  }

  return (
    <div className="field">
      <label htmlFor="org-file">{t("importFile")}</label>
      <input
        ref={input}
        id="org-file"
        type="file"
        accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        onChange={(e) => {
          const file = e.target.files?.[0];
          if (file) upload(file);
        }}
      />
      <p className="field-description">{t("importHelp")}</p>
      <div aria-live="polite" data-testid="import-status">
        {phase.kind === "uploading" ? (
          <p>
            <progress max={100} value={phase.percent} aria-label={t("uploading", { p: phase.percent })} />{" "}
            {t("uploading", { p: phase.percent })}
          </p>
        ) : phase.kind === "checking" ? (
          <p>
            <progress aria-label={t("checkingRows")} /> {t("checkingRows")}
          </p>
        ) : phase.kind === "done" ? (
          <p className="notice" role="status">
            {t("imported", { n: phase.count })}
          </p>
        ) : null}
      </div>
      {phase.kind === "failed" ? (
        <div className="alert" role="alert" data-testid="import-report">
          <p style={{ marginTop: 0 }}>{t("importFailed", { n: phase.issues.length })}</p>
          <ul>
            {phase.issues.map((i, k) => (
              <li key={k} data-row={i.row}>
                {locale === "en" ? i.message.en : i.message.zh}{" "}
                <span className="field-description">/ {locale === "en" ? i.message.zh : i.message.en}</span>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </div>
  );
}
