// Request bodies are bounded before they are read: an oversized body is refused with 413 while it
// streams in, the server's memory does not grow with it, and uploads are limited per file, per
// request and in number as their parts arrive (docs/decisions/020-bounded-request-bodies.md).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession, startAppOnFreshDatabase, type FreshApp } from "#tests/setup/app-process";
import { validDispute } from "./helpers";
import { rssMb as processRssMb } from "#tests/setup/proc";

const MB = 1024 * 1024;
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

let app: FreshApp;
let caseId = "";
beforeAll(async () => {
  app = await startAppOnFreshDatabase();
  const grid = new HttpSession(app.url);
  await grid.login("east.grid1");
  const reported = await grid.post("/t/east-lake/report", {
    payload: JSON.stringify({ categoryId: "dispute", data: validDispute }),
  });
  const number = new URL(reported.headers.get("Location")!, app.url).searchParams.get("reported");
  const list = await (await grid.request("/t/east-lake/work?_data=routes/t.$tenant.work")).text();
  caseId = new RegExp(`"id":"([0-9a-f-]{36})"[^}]*"number":"${number}"`).exec(list)?.[1] ?? "";
  expect(caseId).not.toBe("");
});
afterAll(() => app?.stop());

const rssMb = () => processRssMb(app.pid);

/** The server's largest resident memory while `work` runs, above what it was before. */
async function rssGrowth<T>(work: () => Promise<T>): Promise<{ result: T; growthMb: number }> {
  const before = rssMb();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 10);
  try {
    const result = await work();
    peak = Math.max(peak, rssMb());
    return { result, growthMb: peak - before };
  } finally {
    clearInterval(timer);
  }
}

/** A streamed body of `total` bytes made on demand (never held whole), counting what the client could send. */
function streamedBody(total: number, prefix = "") {
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const counter = { sent: 0 };
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      if (prefix) controller.enqueue(new TextEncoder().encode(prefix));
    },
    pull(controller) {
      if (counter.sent >= total) return controller.close();
      counter.sent += chunk.length;
      controller.enqueue(chunk);
    },
  });
  return { body, counter };
}

/** A multipart body of `count` file parts of `size` bytes each, made as it is read. */
function streamedParts(field: string, count: number, size: number) {
  const boundary = "----gridwork-test";
  const encoder = new TextEncoder();
  const bytes = new Uint8Array(size).fill(0x25);
  const counter = { parts: 0 };
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.parts === count) {
        controller.enqueue(encoder.encode(`--${boundary}--\r\n`));
        return controller.close();
      }
      counter.parts++;
      controller.enqueue(
        encoder.encode(
          `--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="part-${counter.parts}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
        ),
      );
      controller.enqueue(bytes);
      controller.enqueue(encoder.encode("\r\n"));
    },
  });
  return { body, counter, contentType: `multipart/form-data; boundary=${boundary}` };
}

describe("form bodies", () => {
  it("refuses a 200 MB login form with 413 while it streams in, without reading the rest or growing the server's memory", async () => {
    const { body, counter } = streamedBody(200 * MB);
    const { result: res, growthMb } = await rssGrowth(() =>
      fetch(app.url + "/login", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: app.url },
        body,
        duplex: "half",
      } as RequestInit),
    );
    expect(res.status).toBe(413);
    expect(await res.text()).toMatch(/^请求内容超过 1 MB 的上限 \/ The request is larger than the 1 MB limit$/);
    expect(growthMb).toBeLessThan(50);
    // What the client got onto the wire before the refusal: the server stopped reading at 1 MB.
    expect(counter.sent).toBeLessThan(50 * MB);
  });

  it("refuses a declared Content-Length over the limit before any of the body is sent", async () => {
    const answer = await new Promise<{ status: number; text: string }>((resolve, reject) => {
      const req = http.request(
        app.url + "/login",
        {
          method: "POST",
          headers: {
            "Content-Type": "application/x-www-form-urlencoded",
            "Content-Length": String(200 * MB),
            Origin: app.url,
          },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (d: string) => (text += d));
          res.on("end", () => resolve({ status: res.statusCode!, text }));
        },
      );
      req.on("error", reject);
      req.flushHeaders(); // headers only: the answer must come without a byte of the body
    });
    expect(answer.status).toBe(413);
    expect(answer.text).toContain("The request is larger than the 1 MB limit");
  });

  it("holds a multipart post to a form without files to the form limit too", async () => {
    // One 40 MB field: within the limit of a whole upload, far over that of a form.
    const { body, counter } = streamedBody(40 * MB, '--b\r\nContent-Disposition: form-data; name="login"\r\n\r\n');
    const res = await fetch(app.url + "/login", {
      method: "POST",
      headers: { "Content-Type": "multipart/form-data; boundary=b", Origin: app.url },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.text()).toContain("请求内容超过 1 MB 的上限 / The request is larger than the 1 MB limit");
    expect(counter.sent).toBeLessThan(40 * MB);
  });
});

describe("uploads", () => {
  it("refuses the 21st of 40 attachments as it arrives, before the rest is sent", async () => {
    const http1 = new HttpSession(app.url);
    await http1.login("east.grid1");
    const { body, counter, contentType } = streamedParts("files", 40, MB);
    const res = await http1.request(`/t/east-lake/cases/${caseId}/files`, {
      method: "POST",
      headers: { "Content-Type": contentType },
      body,
      duplex: "half",
    } as RequestInit);
    const partsWhenRefused = counter.parts;
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ issues: ["一次最多上传 20 个文件"] });
    expect(partsWhenRefused).toBeLessThan(40);
    const page = await (
      await http1.request(`/t/east-lake/cases/${caseId}?_data=routes/t.$tenant.cases.$caseId`)
    ).json();
    expect(page.attachments).toEqual([]);
  });

  it("refuses a file over the per-file limit, naming it", async () => {
    const http1 = new HttpSession(app.url);
    await http1.login("east.grid1");
    const { body, contentType } = streamedParts("files", 1, 11 * MB);
    const res = await http1.request(`/t/east-lake/cases/${caseId}/files`, {
      method: "POST",
      headers: { "Content-Type": contentType },
      body,
      duplex: "half",
    } as RequestInit);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ issues: ["“part-1.pdf”超过 10 MB"] });
  });

  it("accepts a photo whose file name holds = and ; (once refused as over 10 MB)", async () => {
    const http1 = new HttpSession(app.url);
    await http1.login("east.grid1");
    const form = new FormData();
    form.set("payload", JSON.stringify({ categoryId: "dispute", data: validDispute }));
    form.append("photos", new File([PNG], "现场 a=b;c.png", { type: "image/png" }));
    const res = await http1.request("/t/east-lake/report", { method: "POST", body: form });
    expect(res.status).toBe(302);
    const number = new URL(res.headers.get("Location")!, app.url).searchParams.get("reported");
    const list = await (await http1.request("/t/east-lake/work?_data=routes/t.$tenant.work")).text();
    const reported = new RegExp(`"id":"([0-9a-f-]{36})"[^}]*"number":"${number}"`).exec(list)?.[1];
    const page = await (
      await http1.request(`/t/east-lake/cases/${reported}?_data=routes/t.$tenant.cases.$caseId`)
    ).json();
    expect(page.attachments.map((a: { name: string; size: number }) => [a.name, a.size])).toEqual([
      ["现场 a=b;c.png", PNG.length],
    ]);
  });
});
