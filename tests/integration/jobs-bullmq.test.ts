// With REDIS_URL, outbox jobs go through BullMQ on a real Redis; redelivery does not double a notice.
import { randomBytes } from "node:crypto";
import { Queue, QueueEvents } from "bullmq";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { BullMqJobRunner } from "#app/server/jobs.server";
import { REDIS_URL, redisAvailable, requireInCI } from "#tests/setup/services";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

const hasRedis = requireInCI("Redis on " + REDIS_URL, await redisAvailable());

describe.runIf(hasRedis)("jobs through BullMQ on Redis", () => {
  let s: Seeded;
  const prefix = `gw-test-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    s = await seededDatabase();
  });
  afterAll(() => teardown(s));

  it("delivers the intake notification once, even when the same work is queued again", async () => {
    const ctx = (await s.contextOf("east.grid1", "east-lake"))!;
    const result = await reportCase(ctx, { categoryId: "dispute", data: validDispute }, new Date());
    expect(result.ok).toBe(true);
    if (!result.ok) return;

    const runner = new BullMqJobRunner(s.db, REDIS_URL, prefix, true);
    try {
      await runner.start();
      const deadline = Date.now() + 20_000;
      while (
        Date.now() < deadline &&
        (await s.db.outboxJob.count({ where: { status: "pending", kind: "notify" } })) > 0
      ) {
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(await s.db.outboxJob.count({ where: { status: "done", kind: "notify" } })).toBe(1);
      // A redelivery of the same outbox row (a lost ack, a restarted Redis) changes nothing.
      const job = await s.db.outboxJob.findFirstOrThrow({ where: { kind: "notify" } });
      const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
      const queue = new Queue("outbox", { connection, prefix });
      const events = new QueueEvents("outbox", { connection, prefix });
      await events.waitUntilReady();
      const again = await queue.add("outbox", { outboxId: job.id }, { jobId: `${job.id}-redelivered` });
      expect(await again.waitUntilFinished(events, 15_000)).toBe("skipped");
      await Promise.all([queue.close(), events.close()]);
      const notes = await s.db.notification.findMany({ where: { caseId: result.caseId } });
      expect(notes).toHaveLength(1);
    } finally {
      await runner.stop();
    }
  });
});
