import { existsSync, readFileSync } from "node:fs";
import http from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { sectionValue } from "#engine/config/overrides";
import { HttpSession } from "#tests/setup/app-process";
import { postgresAvailable, REDIS_URL, redisAvailable, requireInCI } from "#tests/setup/services";
import { useQueuedApp, validDispute, waitFor } from "./helpers";

const hasRedis = requireInCI("Redis on " + REDIS_URL, await redisAvailable());
const hasPostgres = requireInCI("PostgreSQL", await postgresAvailable());

const childrenOf = (pid: number) =>
  readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean).map(Number);

/** One request on a connection of its own (so the cluster picks the next web process). */
function fresh(base: string, pathname: string, cookie: string, init: { method?: string; body?: string } = {}) {
  return new Promise<{ status: number; location: string | null; body: string; setCookie: string[] }>(
    (resolve, reject) => {
      const url = new URL(pathname, base);
      const req = http.request(
        url,
        {
          method: init.method ?? "GET",
          agent: false,
          headers: {
            Connection: "close",
            Cookie: cookie,
            ...(init.body !== undefined
              ? {
                  Origin: base,
                  "Content-Type": "application/x-www-form-urlencoded",
                  "Content-Length": Buffer.byteLength(init.body),
                }
              : {}),
          },
        },
        (res) => {
          let body = "";
          res.setEncoding("utf8");
          res.on("data", (c) => (body += c));
          res.on("end", () =>
            resolve({
              status: res.statusCode!,
              location: res.headers.location ?? null,
              body,
              setCookie: res.headers["set-cookie"] ?? [],
            }),
          );
        },
      );
      req.on("error", reject);
      req.end(init.body);
    },
  );
}

async function loginCookie(base: string, login: string) {
  const res = await fresh(base, "/login", "", {
    method: "POST",
    body: new URLSearchParams({ login, password: "gridwork-demo", redirectTo: "/t" }).toString(),
  });
  expect(res.status).toBe(302);
  return res.setCookie.map((line) => line.split(";")[0]).join("; ");
}

const WORK = "/t/east-lake/work?_data=routes%2Ft.%24tenant.work";
/** More requests than processes, so each web process answers at least once. */
const ROUNDS = 6;

describe.runIf(hasRedis && hasPostgres)("three web processes and a job worker on one PostgreSQL and Redis", () => {
  const q = useQueuedApp("multi", { WEB_CONCURRENCY: "3", GRIDWORK_OUTBOX_SWEEP_MS: "1000" }, 120_000);
  afterEach(({ task }) => {
    // What the processes said, when a step failed.
    if (task.result?.state === "fail") console.error(q.app.output().slice(-6000));
  });

  it("runs three web processes and one worker under the primary", () => {
    expect(childrenOf(q.app.pid)).toHaveLength(4);
    expect(q.app.output()).toContain("Processes: 3 web + 1 job worker");
  });

  it("hundreds of concurrent creates and transitions across the processes: one notice per case and kind, every outbox row queued and run once", async () => {
    const grid = new HttpSession(q.app.url);
    await grid.login("east.grid1");
    const routing = new HttpSession(q.app.url);
    await routing.login("east.routing");
    const CASES = 150;
    const inParallel = async (n: number, width: number, fn: (i: number) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: width }, async () => {
          while (next < n) await fn(next++);
        }),
      );
    };
    await inParallel(CASES, 8, async () => {
      const res = await grid.post("/t/east-lake/report", {
        payload: JSON.stringify({ categoryId: "dispute", data: validDispute }),
      });
      expect(res.status, q.app.output().slice(-4000)).toBe(302);
    });
    const cases = (await q.sql.query<{ id: string }>(`SELECT id FROM "Case" ORDER BY id`)).rows.map((r) => r.id);
    expect(cases).toHaveLength(CASES);
    await inParallel(CASES, 8, async (i) => {
      const res = await routing.post(`/t/east-lake/cases/${cases[i]}`, {
        payload: JSON.stringify({ transitionId: "triage", input: { gradeId: "general" }, expectedVersion: 1 }),
      });
      expect(res.status, q.app.output().slice(-4000)).toBe(302);
    });

    await waitFor(
      "every outbox row to be done",
      async () =>
        Number((await q.sql.query(`SELECT count(*) AS n FROM "OutboxJob" WHERE status <> 'done'`)).rows[0].n) === 0,
      45_000,
      100,
    );
    const notices = await q.sql.query<{ caseId: string; kind: string; login: string; n: string }>(
      `SELECT n."caseId", n.kind, u.login, count(*) AS n FROM "Notification" n JOIN "User" u ON u.id = n."userId" WHERE n."caseId" IS NOT NULL GROUP BY 1, 2, 3`,
    );
    expect(notices.rows.map((r) => `${r.caseId} ${r.kind} ${r.login} ${r.n}`).sort()).toEqual(
      cases.flatMap((c) => [`${c} case.reported east.routing 1`, `${c} case.triage east.routing 1`]).sort(),
    );

    // BullMQ's event stream: every outbox row was queued exactly once, and nothing else was (a
    // reconcile sweep that read a row as pending just before its job completed finds the completed
    // job's id still taken).
    const outbox = (await q.sql.query<{ id: string }>(`SELECT id FROM "OutboxJob" ORDER BY id`)).rows.map((r) => r.id);
    const added = new Map<string, number>();
    for (const f of await q.outboxEvents())
      if (f.event === "added" && f.name === "outbox") added.set(f.jobId!, (added.get(f.jobId!) ?? 0) + 1);
    expect(Object.fromEntries([...added].sort())).toEqual(Object.fromEntries(outbox.map((id) => [id, 1])));
  }, 90_000);

  it("a config published through one process is used by every process on its next request", async () => {
    const routing = await loginCookie(q.app.url, "east.routing");
    const tabName = async () => {
      const res = await fresh(q.app.url, WORK, routing);
      expect(res.status).toBe(200);
      return (JSON.parse(res.body) as { tabs: Array<{ id: string; name: string }> }).tabs.find(
        (t) => t.id === "to-triage",
      )?.name;
    };
    // Every process has the current version cached.
    for (let i = 0; i < ROUNDS; i++) expect(await tabName()).toBe("待研判");

    const { rows } = await q.sql.query<{ document: unknown; version: number }>(
      `SELECT document, version FROM "ConfigVersion" cv JOIN "Tenant" t ON t.id = cv."tenantId" WHERE t.code = 'east-lake' ORDER BY version DESC LIMIT 1`,
    );
    const views = structuredClone(sectionValue(rows[0]!.document, "views")) as Array<{
      id: string;
      tabs: Array<{ id: string; name: { zh: string } }>;
    }>;
    views.find((w) => w.id === "command-room")!.tabs.find((t) => t.id === "to-triage")!.name.zh = "待研判（新版）";
    const admin = await loginCookie(q.app.url, "east.admin");
    const body = new URLSearchParams({
      intent: "publish",
      baseVersion: String(rows[0]!.version),
      edit: JSON.stringify({ kind: "sections", sections: { views } }),
    }).toString();
    const published = await fresh(q.app.url, "/t/east-lake/admin/config", admin, { method: "POST", body });
    expect(published.status).toBe(302);
    expect(published.location).toContain(`published=${rows[0]!.version + 1}`);

    for (let i = 0; i < ROUNDS; i++) expect(await tabName()).toBe("待研判（新版）");
  });

  it("a logout in one process ends the session in every process; so does deactivating the member", async () => {
    const grid = await loginCookie(q.app.url, "east.grid3");
    for (let i = 0; i < ROUNDS; i++) expect((await fresh(q.app.url, WORK, grid)).status).toBe(200);
    expect((await fresh(q.app.url, "/logout", grid, { method: "POST", body: "" })).status).toBe(302);
    for (let i = 0; i < ROUNDS; i++) {
      const res = await fresh(q.app.url, WORK, grid);
      expect(res.status === 302 || res.status === 204 || res.status === 401).toBe(true);
      expect(res.status).not.toBe(200);
    }

    const village = await loginCookie(q.app.url, "east.village");
    for (let i = 0; i < ROUNDS; i++) expect((await fresh(q.app.url, WORK, village)).status).toBe(200);
    await q.sql.query(
      `UPDATE "Membership" m SET active = false FROM "User" u WHERE u.id = m."userId" AND u.login = 'east.village'`,
    );
    for (let i = 0; i < ROUNDS; i++) expect((await fresh(q.app.url, WORK, village)).status).toBe(404);
  });

  it("stops every child with the primary", async () => {
    const children = childrenOf(q.app.pid);
    await q.app.stop();
    await waitFor(
      "the children to exit",
      async () => children.every((pid) => !existsSync(`/proc/${pid}`)),
      15_000,
      100,
    );
  });
});
