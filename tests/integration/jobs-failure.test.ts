// Exactly-once delivery under failure, against the real Redis and PostgreSQL: a worker killed while
// a job's transaction is open, a queue lost before it was processed, and a completed job delivered
// again. The outbox row is the truth (docs/decisions/003-jobs.md): a job's notifications commit in
// the transaction that marks it done, so each ends up delivered once, never lost, never doubled.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { fileURLToPath } from "node:url";
import { Queue, QueueEvents } from "bullmq";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { BullMqJobRunner, runOutboxJob } from "#app/server/jobs.server";
import { sweepDueCases } from "#app/server/workflow.server";
import { postgresAvailable, REDIS_URL, redisAvailable, requireInCI } from "#tests/setup/services";
import { seededDatabase, teardown, validDispute, type Seeded, waitFor } from "./helpers";

const hasRedis = requireInCI("Redis on " + REDIS_URL, await redisAvailable());
// The killed worker runs in a process of its own, so it needs a database server it can connect to.
const hasPostgres = requireInCI("PostgreSQL", await postgresAvailable());

const root = fileURLToPath(new URL("../../", import.meta.url));

// Monday 2026-03-02 09:00 in Shanghai; a case dispatched at T0+2h is due at the end of Mon 9 Mar.
const T0 = new Date("2026-03-02T01:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);
const HANDLE_DUE = new Date("2026-03-09T15:59:59.999Z");

describe.runIf(hasRedis && hasPostgres)("exactly-once delivery under failure (BullMQ on Redis)", () => {
  let s: Seeded;
  let probe: pg.Client;
  let queue: Queue;
  let child: ChildProcess | undefined;
  const prefix = `gw-test-fail-${randomBytes(4).toString("hex")}`;
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  // Short locks and stalled checks, so a dead worker's jobs come back within seconds.
  const fast = { lockDuration: 2000, stalledInterval: 1000 };

  beforeAll(async () => {
    s = await seededDatabase();
    probe = new pg.Client({ connectionString: s.database.url });
    await probe.connect();
    queue = new Queue("outbox", { connection, prefix });
  });
  afterAll(async () => {
    if (child && child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    await queue?.obliterate({ force: true }).catch(() => {});
    await queue?.close();
    await probe?.end();
    await teardown(s);
  });

  async function report(now: Date) {
    const reported = await reportCase(
      await s.context("east.grid1"),
      { categoryId: "dispute", data: validDispute },
      now,
    );
    if (!reported.ok) throw new Error("report failed");
    return reported.caseId;
  }

  const dispatchInput = {
    leadUnitId: "platform-safety",
    assistUnitIds: ["village-qiaotou"],
    instructions: "请三日内调解",
  };

  // Other kinds of outbox work (e.g. scoring) may be pending beside the notices; these tests follow
  // the notices, and hand every pending row to the queue alike.
  const pendingIds = async (kind?: string) =>
    (
      await s.db.outboxJob.findMany({
        where: { status: "pending", ...(kind ? { kind } : {}) },
        orderBy: { createdAt: "asc" },
        select: { id: true },
      })
    ).map((j) => j.id);

  /** Outbox rows that another session holds locked (a worker's open transaction). */
  async function lockedElsewhere(ids: string[]) {
    await probe.query("BEGIN");
    try {
      const free = await probe.query<{ id: string }>(
        `SELECT id FROM "OutboxJob" WHERE id = ANY($1::uuid[]) FOR UPDATE SKIP LOCKED`,
        [ids],
      );
      const freeIds = new Set(free.rows.map((r) => r.id));
      return ids.filter((id) => !freeIds.has(id));
    } finally {
      await probe.query("ROLLBACK");
    }
  }

  /** Logins that received each outbox job's notice, keyed by the job's dedupe key. */
  async function deliveries(outboxIds: string[]) {
    const jobs = await s.db.outboxJob.findMany({
      where: { id: { in: outboxIds } },
      select: { id: true, dedupeKey: true, payload: true, status: true },
    });
    const out: Record<string, { kind: string; status: string; logins: string[] }> = {};
    for (const job of jobs) {
      const notes = await s.db.notification.findMany({
        where: { dedupeKey: { startsWith: `${job.dedupeKey}:` } },
        select: { user: { select: { login: true } } },
      });
      out[job.dedupeKey] = {
        kind: (job.payload as { kind: string }).kind,
        status: job.status,
        logins: notes.map((n) => n.user.login).sort(),
      };
    }
    return out;
  }

  const bullJobIds = async () =>
    (await queue.getJobs(["wait", "delayed", "prioritized", "active"]))
      .filter((j) => j?.name === "outbox")
      .map((j) => j.id)
      .sort();

  it("a worker killed while a job's transaction is open: the job runs again elsewhere and its notices land once", {
    timeout: 150_000,
  }, async () => {
    const caseId = await report(T0);
    await s.fire(caseId, "east.routing", "triage", { gradeId: "general" }, at(1));
    // What intake and triage queued is delivered already; the dispatch notice and the reminder are not.
    for (const id of await pendingIds("notify")) await runOutboxJob(s.db, id);
    expect(await pendingIds("notify")).toEqual([]);
    await s.fire(caseId, "east.routing", "dispatch", dispatchInput, at(2));
    expect(await sweepDueCases(s.db, new Date(HANDLE_DUE.getTime() - 70 * 3600_000))).toBe(1); // the 3-day reminder
    const work = await pendingIds("notify");
    expect(work).toHaveLength(2);

    child = spawn(process.execPath, ["--import", "tsx", "tests/setup/outbox-worker.ts"], {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: s.database.url,
        REDIS_URL,
        GRIDWORK_QUEUE_PREFIX: prefix,
        GRIDWORK_TEST_JOB_DELAY_MS: "60000",
        OUTBOX_WORKER_LOCK_MS: "2000",
        // Room for every pending job at once, so both notices are held whatever else is queued.
        OUTBOX_WORKER_CONCURRENCY: "16",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout!.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr!.on("data", (c: Buffer) => (output += c.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child!.once("exit", (_code, signal) => resolve(signal)),
    );

    // Both jobs are inside their transactions in the child: rows locked, notices written, nothing committed.
    await waitFor(
      "the child worker to hold both jobs' transactions open",
      async () => {
        if (child!.exitCode !== null) throw new Error(`worker exited early:\n${output}`);
        return (await lockedElsewhere(work)).length === work.length;
      },
      55_000,
    ); // a cold tsx start on a loaded machine; the child holds each job for 60 s
    expect(
      await s.db.notification.count({ where: { caseId, kind: { in: ["case.dispatched", "deadline.reminder"] } } }),
    ).toBe(0);
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");

    // PostgreSQL rolls the dead session back: the rows are free again, still pending, nothing delivered.
    await waitFor(
      "the killed session's locks to be released",
      async () => (await lockedElsewhere(work)).length === 0,
      10_000,
    );
    const afterKill = await deliveries(work);
    expect(Object.values(afterKill).map((d) => [d.status, d.logins.length])).toEqual([
      ["pending", 0],
      ["pending", 0],
    ]);
    expect(await s.db.outboxJob.count({ where: { id: { in: work }, attempts: { gt: 0 } } })).toBe(0);

    // In Redis the jobs are still the dead worker's: active, under a lock nobody renews.
    expect(await Promise.all(work.map((id) => queue.getJobState(id)))).toEqual(["active", "active"]);

    // A fresh worker finds them stalled (their lock expired), moves them back to wait and runs them.
    // The events stream is read from its start, so no "stalled" event can be missed.
    const events = new QueueEvents("outbox", { connection, prefix, lastEventId: "0-0" });
    const stalled = new Set<string>();
    events.on("stalled", ({ jobId }) => stalled.add(jobId));
    const runner = new BullMqJobRunner(s.db, REDIS_URL, prefix, true, undefined, fast);
    try {
      await runner.start();
      await waitFor(
        "the fresh worker to finish both jobs",
        async () => (await s.db.outboxJob.count({ where: { id: { in: work }, status: "done" } })) === work.length,
      );
      await waitFor("both jobs' stalled events", async () => work.every((id) => stalled.has(id)), 10_000);
    } finally {
      await runner.stop();
      await events.close();
    }
    expect([...stalled]).toEqual(expect.arrayContaining(work)); // with any other job the dead worker held

    const delivered = Object.values(await deliveries(work)).sort((a, b) => a.kind.localeCompare(b.kind));
    expect(delivered).toEqual([
      { kind: "case.dispatched", status: "done", logins: ["east.safety", "east.village"] },
      { kind: "deadline.reminder", status: "done", logins: ["east.safety"] },
    ]);
    expect(
      await s.db.notification.count({ where: { caseId, kind: { in: ["case.dispatched", "deadline.reminder"] } } }),
    ).toBe(3);
  });

  it("a lost queue (Redis restarted empty): the reconcile sweep re-adds due work from the database, delivered once", async () => {
    const cases = [await report(at(24)), await report(at(25))];
    for (const caseId of cases) {
      await s.fire(caseId, "east.routing", "triage", { gradeId: "general" }, at(26));
      await s.fire(caseId, "east.routing", "dispatch", dispatchInput, at(27));
    }
    const work = await pendingIds("notify");
    expect(work).toHaveLength(6); // per case: intake, triage and dispatch notices
    const queued = (await pendingIds()).sort(); // the notices and any other pending work

    // A web-only process hands the due work to the queue; nothing processes it yet.
    const producer = new BullMqJobRunner(s.db, REDIS_URL, prefix, false);
    try {
      await producer.start();
      expect(await bullJobIds()).toEqual(queued);

      await queue.obliterate({ force: true });
      expect(await bullJobIds()).toEqual([]);
      expect(await queue.getJobSchedulersCount()).toBe(0);
      expect(await s.db.outboxJob.count({ where: { id: { in: work }, status: "pending" } })).toBe(6);

      // The periodic reconcile pass: everything still pending in the database goes back on the queue.
      expect(await producer.sweep()).toBe(queued.length);
      expect(await bullJobIds()).toEqual(queued);
    } finally {
      await producer.stop();
    }

    const runner = new BullMqJobRunner(s.db, REDIS_URL, prefix, true, undefined, fast);
    try {
      await runner.start();
      await waitFor(
        "all six jobs to be done",
        async () => (await s.db.outboxJob.count({ where: { id: { in: work }, status: "done" } })) === work.length,
      );
    } finally {
      await runner.stop();
    }
    const delivered = Object.values(await deliveries(work));
    const byKind = (kind: string) => delivered.filter((d) => d.kind === kind).map((d) => d.logins);
    expect(byKind("case.reported")).toEqual([["east.routing"], ["east.routing"]]);
    expect(byKind("case.triage")).toEqual([["east.routing"], ["east.routing"]]); // a general case's analyst: the routing post
    expect(byKind("case.dispatched")).toEqual([
      ["east.safety", "east.village"],
      ["east.safety", "east.village"],
    ]);
    // One notice per recipient per job: as many rows as (job, recipient) pairs, no more.
    const expected = delivered.reduce((n, d) => n + d.logins.length, 0);
    expect(expected).toBe(8);
    expect(await s.db.notification.count({ where: { caseId: { in: cases } } })).toBe(expected);
  });

  it("a completed job delivered again (another BullMQ job id) changes nothing", async () => {
    const done = await s.db.outboxJob.findMany({ where: { status: "done" }, orderBy: { id: "asc" } });
    expect(done.length).toBeGreaterThanOrEqual(8);
    const notesBefore = await s.db.notification.findMany({
      orderBy: { dedupeKey: "asc" },
      select: { id: true, dedupeKey: true },
    });
    const outboxBefore = await s.db.outboxJob.count();

    const events = new QueueEvents("outbox", { connection, prefix });
    await events.waitUntilReady();
    const runner = new BullMqJobRunner(s.db, REDIS_URL, prefix, true, undefined, fast);
    try {
      await runner.start();
      const again = await queue.addBulk(
        done.map((job) => ({ name: "outbox", data: { outboxId: job.id }, opts: { jobId: `${job.id}-redelivered` } })),
      );
      const results = await Promise.all(again.map((job) => job.waitUntilFinished(events, 20_000)));
      expect(new Set(results)).toEqual(new Set(["skipped"]));
      expect(await runner.sweep()).toBe(0); // nothing pending to hand on
    } finally {
      await runner.stop();
      await events.close();
    }
    expect(
      await s.db.notification.findMany({ orderBy: { dedupeKey: "asc" }, select: { id: true, dedupeKey: true } }),
    ).toEqual(notesBefore);
    expect(await s.db.outboxJob.count()).toBe(outboxBefore);
    const after = await s.db.outboxJob.findMany({
      where: { id: { in: done.map((j) => j.id) } },
      orderBy: { id: "asc" },
    });
    expect(after.map((j) => [j.id, j.status, j.doneAt?.toISOString(), j.attempts])).toEqual(
      done.map((j) => [j.id, j.status, j.doneAt?.toISOString(), j.attempts]),
    );
  });
});
