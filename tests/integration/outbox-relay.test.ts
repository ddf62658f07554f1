import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { createPrisma, type Db } from "#app/server/db.server";
import { BullMqJobRunner } from "#app/server/jobs.server";
import { memberContext } from "#tests/setup/drive-cases";
import { HttpSession } from "#tests/setup/app-process";
import { postgresAvailable, REDIS_URL, redisAvailable, requireInCI } from "#tests/setup/services";
import { useQueuedApp, validDispute, waitFor } from "./helpers";

const hasRedis = requireInCI("Redis on " + REDIS_URL, await redisAvailable());
const hasPostgres = requireInCI("PostgreSQL", await postgresAvailable());

describe.runIf(hasRedis && hasPostgres)("outbox relay (BullMQ on Redis, built server)", () => {
  // A web-only process (no worker), so queued jobs stay put to be counted; its reconcile sweep is
  // an hour away, so every add below is the relay's or a sweep the test starts.
  const q = useQueuedApp("relay", { GRIDWORK_WORKER: "0", GRIDWORK_OUTBOX_SWEEP_MS: "3600000" });
  let db: Db;
  let queue: Queue;

  beforeAll(() => {
    db = createPrisma(q.database.url);
    queue = new Queue("outbox", { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: q.prefix });
  });
  afterAll(async () => {
    await queue?.close();
    await db?.$disconnect();
  });

  /** Per outbox job id: how often it was added as a new job, and how often an add found it queued. */
  async function adds() {
    const count = new Map<string, { added: number; duplicated: number }>();
    for (const f of await q.outboxEvents()) {
      if (f.event !== "added" && f.event !== "duplicated") continue;
      if (f.event === "added" && f.name !== "outbox") continue;
      const c = count.get(f.jobId!) ?? { added: 0, duplicated: 0 };
      c[f.event]++;
      count.set(f.jobId!, c);
    }
    return count;
  }

  const outboxIds = async (where = "TRUE") =>
    (await q.sql.query<{ id: string }>(`SELECT id FROM "OutboxJob" WHERE ${where} ORDER BY id`)).rows.map((r) => r.id);
  const caseIds = async () =>
    (await q.sql.query<{ id: string }>(`SELECT id FROM "Case" ORDER BY "createdAt", id`)).rows.map((r) => r.id);

  /** Runs a worker on the queue until every outbox row is done; returns the notices per case. */
  async function deliverAll() {
    const worker = new BullMqJobRunner(db, REDIS_URL, q.prefix, true, undefined, {}, 3_600_000);
    try {
      await worker.start();
      await waitFor("every outbox row to be done", async () => (await outboxIds(`status <> 'done'`)).length === 0);
    } finally {
      await worker.stop();
    }
    const rows = await q.sql.query<{ caseId: string; kind: string; login: string }>(
      `SELECT n."caseId", n.kind, u.login FROM "Notification" n JOIN "User" u ON u.id = n."userId" ORDER BY n."caseId", n.kind, u.login`,
    );
    return rows.rows;
  }

  it("each commit's rows are queued once, by the request that wrote them, and delivered once", async () => {
    const grid = new HttpSession(q.app.url);
    await grid.login("east.grid1");
    const routing = new HttpSession(q.app.url);
    await routing.login("east.routing");
    // One after another, so each request finds the earlier ones' jobs still queued (no worker runs).
    for (let i = 0; i < 3; i++) {
      const res = await grid.post("/t/east-lake/report", {
        payload: JSON.stringify({ categoryId: "dispute", data: validDispute }),
      });
      expect(res.status).toBe(302);
    }
    const cases = await caseIds();
    expect(cases).toHaveLength(3);
    for (const caseId of cases) {
      const res = await routing.post(`/t/east-lake/cases/${caseId}`, {
        payload: JSON.stringify({ transitionId: "triage", input: { gradeId: "general" }, expectedVersion: 1 }),
      });
      expect(res.status).toBe(302);
    }

    const written = await outboxIds();
    expect(written.length).toBeGreaterThanOrEqual(6); // per case at least the intake and triage notices
    const counted = await adds();
    // Every row was added exactly once and never offered again; nothing else was queued.
    expect([...counted.keys()].sort()).toEqual(written);
    expect([...counted.values()]).toEqual(written.map(() => ({ added: 1, duplicated: 0 })));
    const queued = (await queue.getJobs(["wait", "delayed", "active"]))
      .filter((j) => j?.name === "outbox")
      .map((j) => j.id);
    expect(queued.sort()).toEqual(written);

    const notices = (await deliverAll()).filter((n) => cases.includes(n.caseId));
    expect(notices.map((n) => `${n.caseId} ${n.kind} ${n.login}`).sort()).toEqual(
      cases.flatMap((c) => [`${c} case.reported east.routing`, `${c} case.triage east.routing`]).sort(),
    );
  });

  it("rows whose relay never ran are queued once by the reconcile sweep, one runner sweeping at a time", async () => {
    const before = new Set(await outboxIds());
    // Commits in a process with no relay: the rows are written and never handed on, as when a web
    // process dies between its commit and the hand-on.
    const ctx = await memberContext(db, "east.grid1");
    for (let i = 0; i < 3; i++)
      expect((await reportCase(ctx, { categoryId: "dispute", data: validDispute }, new Date())).ok).toBe(true);
    const orphans = (await outboxIds(`status = 'pending'`)).filter((id) => !before.has(id));
    expect(orphans.length).toBeGreaterThanOrEqual(3);
    const counted = await adds();
    expect(orphans.filter((id) => counted.has(id))).toEqual([]);

    // Two producers on their own connections, as two processes would be.
    const dbB = createPrisma(q.database.url);
    const a = new BullMqJobRunner(db, REDIS_URL, q.prefix, false, undefined, {}, 3_600_000);
    const b = new BullMqJobRunner(dbB, REDIS_URL, q.prefix, false, undefined, {}, 3_600_000);
    const probe = new Redis(REDIS_URL);
    try {
      // Another process holds the sweep's lease: this pass does nothing, and leaves the lease be.
      await probe.set(`${q.prefix}:outbox:reconcile`, "another process", "PX", 60_000);
      expect(await a.sweep()).toBe(0);
      expect(await probe.get(`${q.prefix}:outbox:reconcile`)).toBe("another process");
      await probe.del(`${q.prefix}:outbox:reconcile`);
      expect(orphans.filter((id) => counted.has(id))).toEqual([]);

      // A holds the lease mid-pass (its queue is paused just before the add) while B sweeps, and A's
      // own second call joins the pass already running.
      const queueA = (a as unknown as { queue: Queue }).queue;
      const addBulk = queueA.addBulk.bind(queueA);
      let addCalls = 0;
      let entered!: () => void;
      const inside = new Promise<void>((r) => (entered = r));
      let release!: () => void;
      const released = new Promise<void>((r) => (release = r));
      queueA.addBulk = async (jobs) => {
        addCalls++;
        entered();
        await released;
        return addBulk(jobs);
      };
      const first = a.sweep();
      await inside;
      const second = a.sweep();
      expect(await b.sweep()).toBe(0);
      release();
      const [n1, n2] = await Promise.all([first, second]);
      expect(n1).toBe(orphans.length);
      expect(n2).toBe(n1);
      expect(addCalls).toBe(1);
      // The pass gave its lease back.
      expect(await probe.exists(`${q.prefix}:outbox:reconcile`)).toBe(0);
    } finally {
      await probe.quit();
      await dbB.$disconnect();
      await Promise.all([a.stop(), b.stop()]);
    }

    const after = await adds();
    expect(orphans.map((id) => after.get(id)?.added)).toEqual(orphans.map(() => 1));
    const orphanCases = (await caseIds()).slice(-3);
    const notices = (await deliverAll()).filter((n) => orphanCases.includes(n.caseId));
    expect(notices.map((n) => `${n.caseId} ${n.kind} ${n.login}`).sort()).toEqual(
      orphanCases.map((c) => `${c} case.reported east.routing`).sort(),
    );
  });
});
