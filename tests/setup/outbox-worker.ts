// A BullMQ outbox worker in a process of its own, for tests that kill it mid-job
// (tests/integration/jobs-failure.test.ts). Run: `node --import tsx tests/setup/outbox-worker.ts`
// with DATABASE_URL, REDIS_URL and GRIDWORK_QUEUE_PREFIX set; GRIDWORK_TEST_JOB_DELAY_MS makes each
// job hold its transaction open before it commits; OUTBOX_WORKER_LOCK_MS (2000) and
// OUTBOX_WORKER_CONCURRENCY (4) tune the worker. Prints "OUTBOX_WORKER_READY" once it listens.
import { createPrisma } from "#app/server/db.server";
import { BullMqJobRunner } from "#app/server/jobs.server";

const databaseUrl = process.env.DATABASE_URL;
const redisUrl = process.env.REDIS_URL;
const prefix = process.env.GRIDWORK_QUEUE_PREFIX;
if (!databaseUrl || !redisUrl || !prefix)
  throw new Error("outbox-worker: DATABASE_URL, REDIS_URL and GRIDWORK_QUEUE_PREFIX are required");

const db = createPrisma(databaseUrl);
// A short lock: once this process dies, another worker finds its jobs stalled within seconds.
const lockDuration = Number(process.env.OUTBOX_WORKER_LOCK_MS) || 2000;
const concurrency = Number(process.env.OUTBOX_WORKER_CONCURRENCY) || 4;
const runner = new BullMqJobRunner(db, redisUrl, prefix, true, undefined, {
  lockDuration,
  stalledInterval: lockDuration,
  concurrency,
});
await runner.start();
console.log("OUTBOX_WORKER_READY");

const stop = async () => {
  await runner.stop();
  await db.$disconnect();
  process.exit(0);
};
process.once("SIGTERM", () => void stop());
process.once("SIGINT", () => void stop());
