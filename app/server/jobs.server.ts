// Jobs: the outbox table is the truth; BullMQ (with REDIS_URL) or an in-process loop only executes
// (docs/decisions/003-jobs.md). Each job's effects commit in the same transaction that marks it done,
// so a crash or a redelivery can neither lose nor double a notification.
import { Queue, Worker } from "bullmq";
import type { Db, Tx } from "./db.server.ts";
import { env } from "./env.server.ts";

type OutboxRow = { id: string; tenantId: string; kind: string; payload: unknown; dedupeKey: string };
type Handler = (tx: Tx, job: OutboxRow) => Promise<void>;

const MAX_ATTEMPTS = 8;

async function notify(tx: Tx, job: OutboxRow) {
  const p = job.payload as { posts: string[]; caseId?: string; kind: string; title: string };
  const members = await tx.membership.findMany({
    where: { tenantId: job.tenantId, active: true, posts: { hasSome: p.posts } },
    select: { userId: true },
  });
  if (!members.length) return;
  await tx.notification.createMany({
    data: members.map((m) => ({
      tenantId: job.tenantId,
      userId: m.userId,
      caseId: p.caseId ?? null,
      kind: p.kind,
      title: p.title,
      dedupeKey: `${job.dedupeKey}:${m.userId}`,
    })),
    skipDuplicates: true,
  });
}

const handlers: Record<string, Handler> = { notify };

export async function runOutboxJob(db: Db, outboxId: string, now: () => Date = () => new Date()): Promise<"done" | "skipped"> {
  try {
    return await db.$transaction(async (tx) => {
      const locked = await tx.$queryRaw<OutboxRow[]>`
        SELECT id, "tenantId", kind, payload, "dedupeKey" FROM "OutboxJob"
        WHERE id = ${outboxId}::uuid AND status = 'pending' FOR UPDATE SKIP LOCKED`;
      const job = locked[0];
      if (!job) return "skipped";
      const handler = handlers[job.kind];
      if (!handler) throw new Error(`No handler for job kind ${job.kind}`);
      await handler(tx, job);
      await tx.outboxJob.update({ where: { id: job.id }, data: { status: "done", doneAt: now() } });
      return "done";
    });
  } catch (error) {
    const row = await db.outboxJob.findUnique({ where: { id: outboxId }, select: { attempts: true } });
    const attempts = (row?.attempts ?? 0) + 1;
    await db.outboxJob.update({
      where: { id: outboxId },
      data: {
        attempts,
        lastError: (error as Error).message.slice(0, 2000),
        status: attempts >= MAX_ATTEMPTS ? "failed" : "pending",
        runAt: new Date(now().getTime() + 1000 * 2 ** attempts),
      },
    });
    throw error;
  }
}

async function dueJobs(db: Db, now: Date, horizonMs: number, take: number) {
  return db.outboxJob.findMany({
    where: { status: "pending", runAt: { lte: new Date(now.getTime() + horizonMs) } },
    orderBy: { runAt: "asc" },
    take,
    select: { id: true, runAt: true },
  });
}

export interface JobRunner {
  readonly mode: "bullmq" | "in-process";
  /** Something was written to the outbox: look for due work now. */
  kick(): void;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** One pass over the outbox; returns how many jobs were handed on or run. */
  sweep(): Promise<number>;
}

export class InProcessJobRunner implements JobRunner {
  readonly mode = "in-process" as const;
  private timer?: NodeJS.Timeout;
  private running: Promise<number> | null = null;
  private again = false;

  constructor(private readonly db: Db, private readonly intervalMs = 2000) {}

  async start() {
    await this.sweep();
    this.timer = setInterval(() => this.kick(), this.intervalMs);
    this.timer.unref();
  }

  async stop() {
    clearInterval(this.timer);
    await this.running;
  }

  kick() {
    if (this.running) {
      this.again = true;
      return;
    }
    void this.sweep().catch((error) => console.error("[jobs] sweep failed:", error));
  }

  sweep(): Promise<number> {
    if (this.running) return this.running;
    this.running = (async () => {
      let count = 0;
      do {
        this.again = false;
        for (const job of await dueJobs(this.db, new Date(), 0, 100)) {
          await runOutboxJob(this.db, job.id).then(
            () => count++,
            (error) => console.error(`[jobs] job ${job.id} failed:`, (error as Error).message),
          );
        }
      } while (this.again);
      return count;
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }
}

export class BullMqJobRunner implements JobRunner {
  readonly mode = "bullmq" as const;
  private readonly queue: Queue;
  private worker?: Worker;
  private readonly connection: { url: string; maxRetriesPerRequest: null };

  constructor(private readonly db: Db, redisUrl: string, private readonly prefix = env.queuePrefix, private readonly runWorker = env.runWorker) {
    this.connection = { url: redisUrl, maxRetriesPerRequest: null };
    this.queue = new Queue("outbox", { connection: this.connection, prefix: this.prefix });
  }

  async start() {
    if (this.runWorker) {
      this.worker = new Worker(
        "outbox",
        async (job) => (job.name === "sweep" ? this.sweep() : runOutboxJob(this.db, (job.data as { outboxId: string }).outboxId)),
        { connection: this.connection, prefix: this.prefix, concurrency: 4 },
      );
      this.worker.on("error", (error) => console.error("[jobs] worker error:", error.message));
    }
    // A periodic sweep re-derives due work from the database, so a lost queue loses nothing.
    await this.queue.upsertJobScheduler("outbox-sweep", { every: 5000 }, { name: "sweep", opts: { removeOnComplete: true, removeOnFail: 100 } });
    await this.sweep();
  }

  async stop() {
    await this.worker?.close();
    await this.queue.close();
  }

  kick() {
    void this.sweep().catch((error) => console.error("[jobs] dispatch failed:", error));
  }

  async sweep() {
    const now = new Date();
    const jobs = await dueJobs(this.db, now, 60 * 60 * 1000, 1000);
    if (!jobs.length) return 0;
    await this.queue.addBulk(
      jobs.map((job) => ({
        name: "outbox",
        data: { outboxId: job.id },
        // The outbox id as job id: adding the same due work twice queues it once.
        opts: {
          jobId: job.id,
          delay: Math.max(0, job.runAt.getTime() - now.getTime()),
          attempts: MAX_ATTEMPTS,
          backoff: { type: "exponential", delay: 1000 },
          removeOnComplete: true,
          removeOnFail: 1000,
        },
      })),
    );
    return jobs.length;
  }
}

const globalForJobs = globalThis as unknown as { gridworkJobs?: JobRunner };

export function createJobRunner(db: Db): JobRunner {
  return env.redisUrl ? new BullMqJobRunner(db, env.redisUrl) : new InProcessJobRunner(db);
}

export function setJobRunner(runner: JobRunner | undefined) {
  globalForJobs.gridworkJobs = runner;
}

export function kickJobs() {
  globalForJobs.gridworkJobs?.kick();
}
