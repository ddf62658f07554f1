// `npm run bench:body-limits`: what oversized bodies cost the server. Starts the app as `npm start`
// does (like tests/setup/app-process.ts, on a fresh test database; run `npm run build` first) and
// sends, streamed and never held whole by this script: a 200 MB urlencoded login form (alone and
// four at once, with a GET /login alongside), the same with a declared Content-Length, and 40
// attachments of 10 MB to a case as one multipart request (chunked, and with a declared length). For each: the answer, how long it
// took, how much the client got onto the wire before it, and the server's peak resident memory
// above what it was before (sampled from /proc every 10 ms). Figures are recorded in bench/README.md.
import http from "node:http";
import { HttpSession, startAppOn } from "#tests/setup/app-process";
import { createTestDatabase } from "#tests/setup/services";
import { rssMb as processRssMb } from "#tests/setup/proc";

const MB = 1024 * 1024;
const database = await createTestDatabase();
const app = await startAppOn(database);
const rssMb = () => processRssMb(app.pid);

async function measured<T>(work: () => Promise<T>) {
  const before = rssMb();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMb())), 10);
  const started = performance.now();
  try {
    const result = await work();
    return { result, ms: performance.now() - started, growthMb: Math.max(peak, rssMb()) - before };
  } finally {
    clearInterval(timer);
  }
}

function streamed(total: number, part?: { field: string; size: number }) {
  const encoder = new TextEncoder();
  const chunk = new Uint8Array(64 * 1024).fill(0x61);
  const counter = { sent: 0 };
  let inPart = 0;
  let parts = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (counter.sent >= total) {
        if (part) controller.enqueue(encoder.encode("--b--\r\n"));
        return controller.close();
      }
      if (part && inPart === 0)
        controller.enqueue(
          encoder.encode(
            `--b\r\nContent-Disposition: form-data; name="${part.field}"; filename="scan-${++parts}.pdf"\r\nContent-Type: application/pdf\r\n\r\n`,
          ),
        );
      counter.sent += chunk.length;
      inPart += chunk.length;
      controller.enqueue(chunk);
      if (part && inPart >= part.size) {
        controller.enqueue(encoder.encode("\r\n"));
        inPart = 0;
      }
    },
  });
  return { body, counter };
}

const post = (path: string, body: ReadableStream<Uint8Array>, contentType: string, http1 = new HttpSession(app.url)) =>
  http1.request(path, {
    method: "POST",
    headers: { "Content-Type": contentType },
    body,
    duplex: "half",
  } as RequestInit);

/** Headers only, with the length a browser would declare: the answer must come before any of the body. */
function declared(length: number, path = "/login", contentType = "application/x-www-form-urlencoded") {
  return new Promise<number>((resolve, reject) => {
    const req = http.request(
      app.url + path,
      { method: "POST", headers: { "Content-Type": contentType, "Content-Length": String(length), Origin: app.url } },
      (res) => {
        res.resume();
        resolve(res.statusCode!);
      },
    );
    req.on("error", reject);
    req.flushHeaders();
  });
}

const rows: string[] = [];
const row = (what: string, status: string, ms: number, sentMb: number | null, growthMb: number) =>
  rows.push(
    `| ${what} | ${status} | ${ms.toFixed(0)} ms | ${sentMb === null ? "—" : `${sentMb.toFixed(1)} MB`} | ${growthMb.toFixed(1)} MB |`,
  );

try {
  {
    const { body, counter } = streamed(200 * MB);
    const r = await measured(() => post("/login", body, "application/x-www-form-urlencoded"));
    row("200 MB login form, chunked", String(r.result.status), r.ms, counter.sent / MB, r.growthMb);
  }
  {
    const four = Array.from({ length: 4 }, () => streamed(200 * MB));
    let loginMs = 0;
    const r = await measured(async () => {
      const all = Promise.all(four.map(({ body }) => post("/login", body, "application/x-www-form-urlencoded")));
      const t = performance.now();
      await (await fetch(app.url + "/login")).text();
      loginMs = performance.now() - t;
      return all;
    });
    row(
      "4 × 200 MB login forms at once",
      r.result.map((x) => x.status).join(", "),
      r.ms,
      four.reduce((n, f) => n + f.counter.sent, 0) / MB,
      r.growthMb,
    );
    rows.push(`| GET /login during those | 200 | ${loginMs.toFixed(0)} ms | — | — |`);
  }
  {
    const r = await measured(() => declared(200 * MB));
    row("200 MB login form, Content-Length declared", String(r.result), r.ms, 0, r.growthMb);
  }
  {
    const grid = new HttpSession(app.url);
    await grid.login("east.grid1");
    const reported = await grid.post("/t/east-lake/report", {
      payload: JSON.stringify({
        categoryId: "dispute",
        data: { summary: "bench", parties: 2, location: "桥头村5组", partyPhone: "13700003333" },
      }),
    });
    const number = new URL(reported.headers.get("Location")!, app.url).searchParams.get("reported");
    const list = await (await grid.request("/t/east-lake/work?_data=routes/t.$tenant.work")).text();
    const caseId = new RegExp(`"id":"([0-9a-f-]{36})"[^}]*"number":"${number}"`).exec(list)?.[1];
    const { body, counter } = streamed(400 * MB, { field: "files", size: 10 * MB });
    const r = await measured(() =>
      post(`/t/east-lake/cases/${caseId}/files`, body, "multipart/form-data; boundary=b", grid),
    );
    row(
      "40 × 10 MB attachments, chunked",
      `${r.result.status} ${(await r.result.text()).slice(0, 60)}`,
      r.ms,
      counter.sent / MB,
      r.growthMb,
    );
    const d = await measured(() =>
      declared(400 * MB + 40 * 200, `/t/east-lake/cases/${caseId}/files`, "multipart/form-data; boundary=b"),
    );
    row("40 × 10 MB attachments, Content-Length declared", String(d.result), d.ms, 0, d.growthMb);
  }
  console.log(
    "| case | answer | time to answer | client had sent | server RSS growth (peak) |\n|---|---|---|---|---|\n" +
      rows.join("\n"),
  );
} finally {
  await app.stop();
  await database.drop();
}
