import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import type { ViewColumn } from "#engine/views";
import { useLocale, useT, type MessageKey } from "#app/i18n";
import { getLocale } from "#app/server/locale.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { loadWorkbench, parseWorkbenchQuery } from "#app/server/workbench.server";
import { StuckCasesCard } from "#app/components/stuck";
import { StateBadge, useTownship, useWhen } from "#app/components/township";
import { getPrisma, sharingTransaction } from "#app/server/db.server";
import { watchesDeadlines } from "#app/server/due.server";
import { listStuckCases } from "#app/server/stuck.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  // The command room's watch: whoever watches deadlines sees the cases nobody can move.
  const watches = await watchesDeadlines(getPrisma(), ctx, ctx.now);
  // Both reads in one transaction: two statements fewer a request.
  return ctx.db.transaction(async (tx) => {
    const one = sharingTransaction(ctx, tx);
    const data = await loadWorkbench(one, parseWorkbenchQuery(new URL(request.url)), ctx.now, locale);
    const stuck = watches ? await listStuckCases(one) : [];
    return json({ ...data, stuck });
  });
}

const HEADINGS: Record<ViewColumn, MessageKey> = {
  number: "number",
  title: "title",
  category: "category",
  grade: "grade",
  status: "status",
  orgUnit: "orgUnit",
  platform: "platform",
  reporter: "reporter",
  reportedAt: "reportedAt",
  dueAt: "dueAt",
  leadUnit: "leadUnit",
};

export default function WorkbenchPage() {
  const data = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  const [params] = useSearchParams();
  const base = `/t/${tenant.code}/work`;

  if (!data.workbench) {
    return (
      <div className="card">
        <h1>{t("workbench")}</h1>
        <p data-testid="no-workbench">{t("noWorkbench")}</p>
        <Link to={`/t/${tenant.code}`}>{t("cases")}</Link>
      </div>
    );
  }
  const href = (change: Record<string, string | null>) => {
    const next = new URLSearchParams(params);
    for (const [k, v] of Object.entries(change)) v === null ? next.delete(k) : next.set(k, v);
    const s = next.toString();
    return s ? `${base}?${s}` : base;
  };
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));
  const cell = (c: (typeof data.rows)[number], col: ViewColumn) => {
    switch (col) {
      case "number":
        return c.number;
      case "title":
        return <Link to={`/t/${tenant.code}/cases/${c.id}`}>{c.title}</Link>;
      case "category":
        return c.categoryId ? (labels.categories[c.categoryId] ?? c.categoryId) : "—";
      case "grade":
        return c.gradeId ? (labels.grades[c.gradeId] ?? c.gradeId) : "—";
      case "status":
        return <StateBadge labels={labels} workflowId={c.workflowId} state={c.state ?? ""} />;
      case "orgUnit":
        return c.orgUnitId ? (labels.units[c.orgUnitId] ?? c.orgUnitId) : "—";
      case "platform":
        return c.platformId ? (labels.units[c.platformId] ?? c.platformId) : "—";
      case "reporter":
        return c.reporter?.displayName ?? "—";
      case "reportedAt":
        return when(c.createdAt);
      case "dueAt":
        return when(c.dueAt);
      case "leadUnit":
        return c.leadUnitId ? (labels.units[c.leadUnitId] ?? c.leadUnitId) : "—";
    }
  };
  const states = Object.assign({}, ...Object.values(labels.states)) as Record<string, { name: string }>;

  return (
    <>
      <StuckCasesCard cases={data.stuck} />
      <div className="card" data-testid="workbench">
        <div className="actions">
          <h1 style={{ margin: 0 }}>{data.workbench.name}</h1>
          {data.others.length > 1 ? (
            <nav aria-label={t("workbenches")} className="actions" style={{ margin: 0 }}>
              {data.others.map((w) => (
                <Link
                  key={w.id}
                  to={`${base}?wb=${w.id}`}
                  className={`filter${w.id === data.workbench?.id ? " active" : ""}`}
                  aria-current={w.id === data.workbench?.id ? "page" : undefined}
                >
                  {w.name}
                </Link>
              ))}
            </nav>
          ) : null}
        </div>
        <div role="tablist" aria-label={data.workbench.name} className="actions" data-testid="workbench-tabs">
          {data.tabs.map((tab) => {
            const active = tab.id === data.activeTab;
            return (
              <Link
                key={tab.id}
                role="tab"
                aria-selected={active}
                to={`${base}?${new URLSearchParams({ ...(params.get("wb") ? { wb: params.get("wb")! } : {}), tab: tab.id }).toString()}`}
                className={`filter${active ? " active" : ""}`}
                data-testid={`tab-${tab.id}`}
                data-count={tab.count}
              >
                {tab.name} <span className="tab-count">{tab.count}</span>
              </Link>
            );
          })}
        </div>
        <Form method="get" action={base} className="actions" role="search" data-testid="workbench-search">
          {params.get("wb") ? <input type="hidden" name="wb" value={params.get("wb")!} /> : null}
          <input type="hidden" name="tab" value={data.activeTab ?? ""} />
          <label>
            {t("wbSearch")}{" "}
            <input
              name="q"
              defaultValue={params.get("q") ?? ""}
              placeholder={t("wbSearchPlaceholder")}
              style={{ width: "14rem" }}
            />
          </label>
          <FilterSelect
            name="category"
            label={t("category")}
            all={t("wbAll")}
            params={params}
            choices={labels.categories}
          />
          <FilterSelect name="grade" label={t("grade")} all={t("wbAll")} params={params} choices={labels.grades} />
          <FilterSelect
            name="state"
            label={t("status")}
            all={t("wbAll")}
            params={params}
            choices={Object.fromEntries(Object.entries(states).map(([id, st]) => [id, st.name]))}
          />
          <button type="submit" className="btn">
            {t("wbSearchButton")}
          </button>
        </Form>
        <p className="field-description" role="status" data-testid="workbench-total">
          {t("total", { n: data.total })}
        </p>
        {data.rows.length === 0 ? (
          <p>{t("noCases")}</p>
        ) : (
          <table data-testid="workbench-list" lang={locale}>
            <thead>
              <tr>
                {data.columns.map((col) => (
                  <th key={col} scope="col">
                    {t(HEADINGS[col])}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {data.rows.map((c) => (
                <tr key={c.id}>
                  {data.columns.map((col) => (
                    <td key={col}>{cell(c, col)}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {pages > 1 ? (
          <nav aria-label={t("wbPagination")} className="actions" data-testid="pagination">
            {data.page > 1 ? (
              <Link to={href({ page: String(data.page - 1) })} rel="prev">
                {t("wbPrev")}
              </Link>
            ) : null}
            <span>{t("wbPageOf", { n: data.page, m: pages })}</span>
            {data.page < pages ? (
              <Link to={href({ page: String(data.page + 1) })} rel="next">
                {t("wbNext")}
              </Link>
            ) : null}
          </nav>
        ) : null}
      </div>
    </>
  );
}

/** One of the workbench's filters: "all" or one of the config's choices, kept in the query string. */
function FilterSelect(props: {
  name: string;
  label: string;
  all: string;
  params: URLSearchParams;
  choices: Record<string, string>;
}) {
  return (
    <label>
      {props.label}{" "}
      <select name={props.name} defaultValue={props.params.get(props.name) ?? ""} style={{ width: "auto" }}>
        <option value="">{props.all}</option>
        {Object.entries(props.choices).map(([id, name]) => (
          <option key={id} value={id}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
