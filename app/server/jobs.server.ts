// Jobs: the outbox table is the truth; BullMQ (with REDIS_URL) or an in-process loop only executes
// (docs/decisions/003-jobs.md). Each job's effects commit in the same transaction that marks it done,
// so a crash or a redelivery can neither lose nor double a notification.
import { createHmac, randomUUID } from "node:crypto";
import { Queue, Worker, type WorkerOptions } from "bullmq";
import { Redis } from "ioredis";
import type { Mode } from "#engine/case-state";
import { dutyLeaderOn } from "#engine/rota";
import type { Clock } from "#engine/clock";
import { appClock } from "./clock.server";
import { getTenantConfig } from "./config.server";
import { cached, tableCache } from "./context-cache.server";
import type { Db, Tx } from "./db.server";
import { env } from "./env.server";
import { writeOutbox, type OutboxRef } from "./outbox.server";

type OutboxRow = { id: string; tenantId: string; kind: string; payload: unknown; dedupeKey: string };
/** Runs one job in its transaction; returns the outbox rows it wrote, handed on after the commit. */
type Handler = (tx: Tx, job: OutboxRow, now: Date) => Promise<OutboxRef[] | void>;

const MAX_ATTEMPTS = 8;

type NotifyPayload = {
  posts?: string[];
  units?: string[];
  users?: string[];
  dutyLeaderOn?: string | null;
  county?: boolean;
  caseId?: string | null;
  kind: string;
  urgency?: string;
  title: string;
  data?: Record<string, unknown>;
};

type ActiveMember = { userId: string; unitId: string; posts: string[] };
// Per tenant, cleared by any membership change in any process (ADR 031); the notify and score jobs
// read them for every case event (ADR 044).
const activeMembers = tableCache<ActiveMember[]>(["Membership"]);
const tenantLinks = tableCache<{ parentId: string | null; mode: Mode }>(["Tenant"]);
const webhooks = tableCache<{ id: string }[]>(["Webhook"]);

/** A tenant's active members, by user id. */
export function activeMembersOf(tx: Tx | Db, tenantId: string): Promise<ActiveMember[]> {
  return cached(activeMembers, tenantId, () =>
    tx.membership.findMany({
      where: { tenantId, active: true },
      select: { userId: true, unitId: true, posts: true },
      orderBy: { userId: "asc" },
    }),
  );
}

const tenantLink = (tx: Tx, tenantId: string) =>
  cached(tenantLinks, tenantId, () =>
    tx.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { parentId: true, mode: true } }),
  );

/** Everyone the payload names: post holders, unit members, named users, the duty leader(s), the county. */
async function recipients(tx: Tx, tenantId: string, p: NotifyPayload): Promise<string[]> {
  const users = new Set<string>(p.users ?? []);
  const posts = new Set(p.posts ?? []);
  const units = new Set(p.units ?? []);
  if (p.dutyLeaderOn) {
    const config = await getTenantConfig(tx, tenantId);
    if (config) {
      const { getDutyRota } = await import("./workflow.server");
      const rota = await getDutyRota(tx as unknown as Db, tenantId);
      const tenant = await tenantLink(tx, tenantId);
      const leaders = dutyLeaderOn(config.compiled, rota, p.dutyLeaderOn, tenant.mode);
      leaders.userIds.forEach((u) => users.add(u));
      if (leaders.allLeadership) leaders.leadershipPosts.forEach((post) => posts.add(post));
    }
  }
  if (posts.size || units.size) {
    for (const m of await activeMembersOf(tx, tenantId))
      if (units.has(m.unitId) || m.posts.some((post) => posts.has(post))) users.add(m.userId);
  }
  if (p.county) {
    const tenant = await tenantLink(tx, tenantId);
    if (tenant.parentId) (await activeMembersOf(tx, tenant.parentId)).forEach((m) => users.add(m.userId));
  }
  return [...users].sort();
}

async function notify(tx: Tx, job: OutboxRow, now: Date) {
  const p = job.payload as NotifyPayload;
  const userIds = await recipients(tx, job.tenantId, p);
  if (!userIds.length) return;
  // One raw statement for every recipient (no per-row query building); createdAt in UTC as Prisma wrote it.
  await tx.$executeRaw`
    INSERT INTO "Notification" (id, "tenantId", "userId", "caseId", kind, title, urgency, data, "dedupeKey", "createdAt")
    SELECT gen_random_uuid(), ${job.tenantId}::uuid, u, ${p.caseId ?? null}::uuid, ${p.kind}, ${p.title},
      ${p.urgency ?? "normal"}, ${JSON.stringify(p.data ?? {})}::jsonb, ${`${job.dedupeKey}:`} || u::text,
      (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
    FROM unnest(${userIds}::uuid[]) AS u
    ON CONFLICT DO NOTHING`;
  const hooks = await cached(webhooks, job.tenantId, () =>
    tx.webhook.findMany({ where: { tenantId: job.tenantId, active: true }, select: { id: true } }),
  );
  return writeOutbox(
    tx,
    hooks.map((h) => ({
      tenantId: job.tenantId,
      kind: "webhook",
      payload: {
        webhookId: h.id,
        event: p.kind,
        caseId: p.caseId ?? null,
        title: p.title,
        urgency: p.urgency ?? "normal",
        recipients: userIds.length,
        key: job.dedupeKey,
      },
      dedupeKey: `${job.dedupeKey}:webhook:${h.id}`,
      runAt: now,
    })),
  );
}

/**
 * POSTs an event to a township's webhook, signed with HMAC-SHA256 of the body (header
 * X-Gridwork-Signature) and carrying X-Gridwork-Delivery as an idempotency key: a receiver that
 * keeps delivery ids sees each event once even if a retry repeats it.
 */
async function webhook(tx: Tx, job: OutboxRow) {
  const p = job.payload as { webhookId: string; key: string } & Record<string, unknown>;
  const hook = await tx.webhook.findUnique({ where: { id: p.webhookId } });
  if (!hook?.active) return;
  const body = JSON.stringify({
    event: p.event,
    caseId: p.caseId,
    title: p.title,
    urgency: p.urgency,
    recipients: p.recipients,
    delivery: job.dedupeKey,
  });
  const signature = createHmac("sha256", hook.secret).update(body).digest("hex");
  const res = await fetch(hook.url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      "X-Gridwork-Signature": `sha256=${signature}`,
      "X-Gridwork-Delivery": job.dedupeKey,
    },
    body,
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`webhook ${hook.url} answered ${res.status}`);
}

/** Scores a case from its audit trail (app/server/scoring.server.ts); idempotent on the ledger's keys. */
async function score(tx: Tx, job: OutboxRow) {
  const { scoreCase } = await import("./scoring.server");
  await scoreCase(tx, (job.payload as { caseId: string }).caseId);
}

/** Cases escalated to the county: its linked case opens, and each of its steps reaches the township (ADR 039). */
async function countyIntake(tx: Tx, job: OutboxRow, now: Date) {
  const { openCountyCase } = await import("./county-cases.server");
  return openCountyCase(tx, job, now);
}

async function countyStep(tx: Tx, job: OutboxRow, now: Date) {
  const { mirrorCountyStep } = await import("./county-cases.server");
  return mirrorCountyStep(tx, job, now);
}

/** A county task opens one linked case per chosen township (ADR 041). */
async function taskFanOut(tx: Tx, job: OutboxRow, now: Date) {
  const { fanOutTask } = await import("./county-tasks.server");
  return fanOutTask(tx, job, now);
}

const handlers: Record<string, Handler> = {
  notify,
  webhook,
  score,
  "county-intake": countyIntake,
  "county-step": countyStep,
  "task-fanout": taskFanOut,
};

/** Runs one outbox job; the rows its handler wrote go to `relay` after the commit. */
export async function runOutboxJob(
  db: Db,
  outboxId: string,
  clock: Clock = appClock,
  relay: (refs: readonly OutboxRef[]) => Promise<void> = relayOutbox,
): Promise<"done" | "skipped"> {
  // TEST-ONLY hook (tests/integration/jobs-failure.test.ts): hold the job's transaction open this
  // many ms before it commits, so a test can kill the worker mid-job. Never set it in production.
  const testDelayMs = Number(process.env.GRIDWORK_TEST_JOB_DELAY_MS) || 0;
  const now = clock.now();
  let written: OutboxRef[] = [];
  let result: "done" | "skipped";
  try {
    result = await db.$transaction(
      async (tx) => {
        // Claimed and marked done in one statement; a handler's failure rolls the mark back.
        const locked = await tx.$queryRaw<OutboxRow[]>`
        UPDATE "OutboxJob" SET status = 'done', "doneAt" = ${now.toISOString()}::timestamp(3)
        WHERE id = (SELECT id FROM "OutboxJob" WHERE id = ${outboxId}::uuid AND status = 'pending' FOR UPDATE SKIP LOCKED)
        RETURNING id, "tenantId", kind, payload, "dedupeKey"`;
        const job = locked[0];
        if (!job) return "skipped";
        const handler = handlers[job.kind];
        if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
        written = (await handler(tx, job, now)) ?? [];
        if (testDelayMs) await new Promise((resolve) => setTimeout(resolve, testDelayMs));
        return "done" as const;
      },
      testDelayMs ? { timeout: testDelayMs + 5000 } : undefined,
    );
  } catch (error) {
    const row = await db.outboxJob.findUnique({ where: { id: outboxId }, select: { attempts: true } });
    const attempts = (row?.attempts ?? 0) + 1;
    await db.outboxJob.update({
      where: { id: outboxId },
      data: {
        attempts,
        lastError: (error as Error).message.slice(0, 2000),
        status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
        runAt: new Date(now.getTime() + 1000 * 2 ** attempts),
      },
    });
    throw error;
  }
  await relay(written);
  return result;
}

/** The reconcile sweep's look-ahead: rows due within it are queued as delayed jobs. */
const HORIZON_MS = 60 * 60 * 1000;
const SWEEP_BATCH = 1000;
const SWEEP_LOCK = "outbox:reconcile";
/** Longer than a pass of SWEEP_BATCH rows takes; a holder that dies frees it after this. */
const SWEEP_LEASE_MS = 60_000;
const RELEASE_LEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) end return 0`;

async function dueJobs(db: Tx | Db, now: Date, horizonMs: number, take: number): Promise<OutboxRef[]> {
  return db.outboxJob.findMany({
    where: { status: "pending", runAt: { lte: new Date(now.getTime() + horizonMs) } },
    orderBy: { runAt: "asc" },
    take,
    select: { id: true, runAt: true },
  });
}

export interface JobRunner {
  readonly mode: "bullmq" | "in-process";
  /** A commit wrote these outbox rows: queue (or run) exactly these. Never rejects; the sweep is the safety net. */
  relay(refs: readonly OutboxRef[]): Promise<void>;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One reconcile pass over the outbox; returns how many jobs were handed on or run. */
  sweep(): Promise<number>;
}

/** Work the runner does on a timer besides the outbox, e.g. the supervision sweep over due cases. */
export type PeriodicTask = (now: Date) => Promise<number>;

class InProcessJobRunner implements JobRunner {
  readonly mode = "in-process" as const;
  private timer?: NodeJS.Timeout;
  private periodicTimer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private periodicRunning: Promise<unknown> | null = null;
  /** Ids commits handed on, run in order by one drain loop. */
  private readonly fresh: string[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly periodic?: PeriodicTask,
    private readonly intervalMs = env.outboxSweepMs,
    private readonly periodicMs = 15_000,
    private readonly clock: Clock = appClock,
  ) {}

  async start() {
    await this.periodic?.(this.clock.now());
    await this.sweep();
    this.timer = setInterval(
      () => void this.sweep().catch((error) => console.error("[jobs] sweep failed:", error)),
      this.intervalMs,
    );
    this.timer.unref();
    if (this.periodic) {
      const periodic = this.periodic;
      this.periodicTimer = setInterval(() => {
        this.periodicRunning ??= periodic(this.clock.now())
          .catch((error) => console.error("[jobs] periodic task failed:", error))
          .finally(() => (this.periodicRunning = null));
      }, this.periodicMs);
      this.periodicTimer.unref();
    }
  }

  async stop() {
    clearInterval(this.timer);
    clearInterval(this.periodicTimer);
    await this.running;
    await this.periodicRunning;
    await this.draining;
  }

  private run(id: string) {
    return runOutboxJob(this.db, id, this.clock, (refs) => this.relay(refs)).then(
      () => true,
      (error) => {
        console.error(`[jobs] job ${id} failed:`, (error as Error).message);
        return false;
      },
    );
  }

  /** Runs the handed-on rows that are due now, without waiting for them; later ones are the sweep's. */
  relay(refs: readonly OutboxRef[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (const ref of refs) if (ref.runAt.getTime() <= now) this.fresh.push(ref.id);
    if (this.fresh.length) this.drain();
    return Promise.resolve();
  }

  private drain() {
    this.draining ??= (async () => {
      while (this.fresh.length) await this.run(this.fresh.shift()!);
    })().finally(() => {
      this.draining = null;
      if (this.fresh.length) this.drain();
    });
  }

  /**
   * Single-flight in this process. Processes without Redis sweeping the same database may pick the
   * same row; runOutboxJob's row lock lets one run it and the other skip.
   */
  sweep(): Promise<number> {
    this.running ??= (async () => {
      let count = 0;
      for (const job of await dueJobs(this.db, this.clock.now(), 0, 100)) if (await this.run(job.id)) count++;
      return count;
    })().finally(() => (this.running = null));
    return this.running;
  }
}

export class BullMqJobRunner implements JobRunner {
  readonly mode = "bullmq" as const;
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly connection: { url: string; maxRetriesPerRequest: null };
  private sweeping: Promise<number> | null = null;
  /** The sweep's lease connection, opened on the first sweep. */
  private leases: Redis | null = null;

  constructor(
    private readonly db: Db,
    redisUrl: string,
    private readonly prefix = env.queuePrefix,
    private readonly runWorker = env.runWorker,
    private readonly periodic?: PeriodicTask,
    /** Overrides for the worker, e.g. a short lockDuration/stalledInterval in tests; defaults unchanged. */
    private readonly workerOptions: Pick<
      WorkerOptions,
      "lockDuration" | "stalledInterval" | "maxStalledCount" | "concurrency"
    > = {},
    private readonly sweepEveryMs = env.outboxSweepMs,
    private readonly clock: Clock = appClock,
  ) {
    this.connection = { url: redisUrl, maxRetriesPerRequest: null };
    this.queue = new Queue("outbox", { connection: this.connection, prefix: this.prefix });
  }

  async start() {
    if (this.runWorker) {
      this.worker = new Worker(
        "outbox",
        async (job) => {
          if (job.name !== "sweep")
            return runOutboxJob(this.db, (job.data as { outboxId: string }).outboxId, this.clock, (refs) =>
              this.relay(refs),
            );
          await this.periodic?.(this.clock.now());
          return this.sweep();
        },
        { connection: this.connection, prefix: this.prefix, concurrency: 4, ...this.workerOptions },
      );
      this.worker.on("error", (error) => console.error("[jobs] worker error:", error.message));
    }
    // The reconcile sweep re-derives due work from the database, so a lost queue or a relay that
    // died between commit and hand-on loses nothing. One scheduler per queue, whatever the processes.
    await this.queue.upsertJobScheduler(
      "outbox-sweep",
      { every: this.sweepEveryMs },
      { name: "sweep", opts: { removeOnComplete: true, removeOnFail: 100 } },
    );
    await this.periodic?.(this.clock.now());
    await this.sweep();
  }

  async stop() {
    await this.worker?.close();
    await this.sweeping;
    await this.queue.close();
    await this.leases?.quit();
  }

  private job(ref: OutboxRef, now: number) {
    return {
      name: "outbox",
      data: { outboxId: ref.id },
      // The outbox id as job id: handing the same row on twice (relay, then a sweep) queues it once.
      opts: {
        jobId: ref.id,
        delay: Math.max(0, ref.runAt.getTime() - now),
        attempts: MAX_ATTEMPTS,
        backoff: { type: "exponential", delay: 1000 },
        // Kept a while after it completes, so a sweep that read the row as pending just before
        // (a race of milliseconds to seconds) finds the id taken and adds nothing.
        removeOnComplete: { age: 300, count: 50_000 },
        removeOnFail: 1000,
      },
    };
  }

  async relay(refs: readonly OutboxRef[]) {
    if (!refs.length) return;
    const now = this.clock.now().getTime();
    try {
      await this.queue.addBulk(refs.map((ref) => this.job(ref, now)));
    } catch (error) {
      console.error("[jobs] relay failed, the reconcile sweep will queue these:", (error as Error).message);
    }
  }

  /**
   * Single-flight in this process, and across processes through a lease in Redis (`SET NX PX`,
   * released only by its holder): a pass that finds it taken does nothing and returns 0 (another
   * process is sweeping right now). A lease rather than a PostgreSQL advisory lock, so no
   * connection sits in an open transaction while the rows go to Redis (ADR 035).
   */
  sweep(): Promise<number> {
    this.sweeping ??= (async () => {
      const redis = (this.leases ??= new Redis(this.connection.url, { maxRetriesPerRequest: null }));
      const key = `${this.prefix}:${SWEEP_LOCK}`;
      const token = randomUUID();
      if ((await redis.set(key, token, "PX", SWEEP_LEASE_MS, "NX")) !== "OK") return 0;
      try {
        const now = this.clock.now();
        const jobs = await dueJobs(this.db, now, HORIZON_MS, SWEEP_BATCH);
        if (jobs.length) await this.queue.addBulk(jobs.map((ref) => this.job(ref, now.getTime())));
        return jobs.length;
      } finally {
        await redis.eval(RELEASE_LEASE, 1, key, token);
      }
    })().finally(() => (this.sweeping = null));
    return this.sweeping;
  }
}

const globalForJobs = globalThis as unknown as { gridworkJobs?: JobRunner };

export function createJobRunner(db: Db, periodic?: PeriodicTask, clock: Clock = appClock): JobRunner {
  return env.redisUrl
    ? new BullMqJobRunner(db, env.redisUrl, env.queuePrefix, env.runWorker, periodic, {}, env.outboxSweepMs, clock)
    : new InProcessJobRunner(db, periodic, env.outboxSweepMs, 15_000, clock);
}

export function setJobRunner(runner: JobRunner | undefined) {
  globalForJobs.gridworkJobs = runner;
}

/**
 * After a commit: hands the outbox rows it wrote to this process's runner. Without one (scripts,
 * tests that call repositories directly) the rows wait for a runner's reconcile sweep.
 */
export function relayOutbox(refs: readonly OutboxRef[]): Promise<void> {
  return refs.length && globalForJobs.gridworkJobs ? globalForJobs.gridworkJobs.relay(refs) : Promise.resolve();
}
