// A township's signed webhook receives each notification event once, with an HMAC signature and a
// delivery id; a failing receiver is retried, not skipped.
import { createHmac } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let server: Server;
let url = "";
const received: Array<{ body: string; signature: string; delivery: string }> = [];
let failNext = 0;

beforeAll(async () => {
  s = await seededDatabase();
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({
        body,
        signature: String(req.headers["x-gridwork-signature"]),
        delivery: String(req.headers["x-gridwork-delivery"]),
      });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});
afterAll(async () => {
  server?.close();
  await teardown(s);
});

async function runPending() {
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } })) {
    await runOutboxJob(s.db, job.id).catch(() => {});
  }
}

describe("webhooks", () => {
  it("delivers a signed event once, retrying a failed delivery", async () => {
    const east = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    await s.db.webhook.create({ data: { tenantId: east.id, url, secret: "s3cret" } });
    const ctx = (await s.contextOf("east.grid1", "east-lake"))!;
    const r = await reportCase(ctx, { categoryId: "dispute", data: validDispute }, new Date());
    expect(r.ok).toBe(true);
    await runPending(); // the notify job writes notifications and queues the webhook delivery
    const hookJob = await s.db.outboxJob.findFirstOrThrow({ where: { kind: "webhook" } });
    failNext = 1;
    await expect(runOutboxJob(s.db, hookJob.id)).rejects.toThrow(/503/);
    expect(received).toHaveLength(0);
    expect(await s.db.outboxJob.findUniqueOrThrow({ where: { id: hookJob.id } })).toMatchObject({
      status: "pending",
      attempts: 1,
    });
    expect(await runOutboxJob(s.db, hookJob.id)).toBe("done"); // the retry delivers
    expect(await runOutboxJob(s.db, hookJob.id)).toBe("skipped"); // a redelivery does not
    expect(received).toHaveLength(1);
    const { body, signature, delivery } = received[0]!;
    expect(signature).toBe(`sha256=${createHmac("sha256", "s3cret").update(body).digest("hex")}`);
    expect(JSON.parse(body)).toMatchObject({ event: "case.reported", title: "邻里噪音纠纷", delivery });
    expect(delivery).toBe(hookJob.dedupeKey);
  });
});
