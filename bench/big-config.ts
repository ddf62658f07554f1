// `npm run bench:big-config [-- --runs 5]`: what an oversized config edit costs everyone else
// (docs/decisions/021-bounded-config-work.md). Starts the app as `npm start` does (like
// tests/setup/app-process.ts, on a fresh test database; run `npm run build` first) and, as
// `east.admin`, posts an 11 MB edit with 200,000 posts while GET /login is asked every 100 ms:
// the edit's latency (refused by its cap) and the logins' latencies. Then, in this process, the
// largest config the caps allow is validated in the worker thread, with the event loop's delay
// meanwhile. Median of the runs; figures are recorded in bench/README.md.
import { monitorEventLoopDelay } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { prepareConfig, resolveConfig } from "#engine/config/index";
import { CONFIG_LIMITS, COUNT_LIMITS } from "#engine/limits";
import { prepareConfigOffThread } from "#app/server/config-worker.server";
import { HttpSession, startAppOn, streamedForm } from "#tests/setup/app-process";
import { createTestDatabase } from "#tests/setup/services";
import { templateLookup } from "#tests/engine/helpers";

const { values } = parseArgs({ options: { runs: { type: "string", default: "5" } } });
const runs = Math.max(1, Number(values.runs));
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const ms = (v: number) => `${v.toFixed(0)} ms`;
const cap = (path: string) => COUNT_LIMITS.find((l) => l.at.join("/") === path)!.limit;

// 1. The refused 11 MB edit over HTTP, with GET /login alongside.
const database = await createTestDatabase();
const app = await startAppOn(database);
const edits: number[] = [];
const logins: number[] = [];
let editBytes = 0;
try {
  const http = new HttpSession(app.url);
  await http.login("east.admin");
  await (await fetch(app.url + "/login")).text();
  const posts = Array.from({ length: 200_000 }, (_, i) => ({
    id: `extra-${i}`,
    kind: "working",
    unit: "command-room",
    name: { zh: `岗位${i}` },
  }));
  const edit = JSON.stringify({ kind: "sections", sections: { posts } });
  editBytes = Buffer.byteLength(edit);
  for (let run = 0; run < runs; run++) {
    const t0 = performance.now();
    let done = false;
    const post = http
      .request(
        "/t/east-lake/admin/config?_data=routes%2Ft.%24tenant.admin.config",
        streamedForm({ intent: "validate", edit }),
      )
      .then(async (res) => {
        await res.text();
        if (res.status !== 413) throw new Error(`expected 413, got ${res.status}`);
        edits.push(performance.now() - t0);
        done = true;
      });
    const during: number[] = [];
    do {
      const t1 = performance.now();
      await (await fetch(app.url + "/login")).text();
      during.push(performance.now() - t1);
      if (!done) await new Promise((r) => setTimeout(r, 100));
    } while (!done);
    await post;
    logins.push(Math.max(...during));
  }
} finally {
  await app.stop();
  await database.drop();
}

// 2. The largest config the caps allow, validated off the event loop.
const templateRef = "command-room-guideline@1.0.0";
const template = (
  resolveConfig(templateLookup(templateRef), templateLookup) as {
    value: { org: { units: unknown[] }; posts: unknown[]; categories: Array<Record<string, unknown>> };
  }
).value;
const villages = 200;
const units = Array.from({ length: cap("org/units") - template.org.units.length }, (_, i) =>
  i < villages
    ? { id: `v${i}`, kind: "village", parent: "command-room", name: { zh: `村${i}` } }
    : { id: `g${i}`, kind: "grid", parent: `v${i % villages}`, name: { zh: `网格${i}` }, gridType: "comprehensive" },
);
const posts = Array.from({ length: cap("posts") - template.posts.length }, (_, i) => ({
  id: `post-${i}`,
  kind: "working",
  unit: "command-room",
  name: { zh: `岗位${i}` },
}));
const categories = Array.from({ length: cap("categories") - template.categories.length }, (_, i) => ({
  ...template.categories[0],
  id: `cat-${i}`,
  name: { zh: `类别${i}` },
}));
const largest = {
  kind: "township",
  id: "largest",
  version: "1.0.0",
  extends: templateRef,
  name: { zh: "大镇" },
  org: { units },
  posts,
  categories,
};
const largestBytes = Buffer.byteLength(JSON.stringify(largest));
if (largestBytes > CONFIG_LIMITS.bytes)
  throw new Error(`the largest config (${largestBytes} bytes) is over the byte cap`);
const inThread = prepareConfig(largest, templateLookup);
if (!inThread.ok) throw new Error(`the largest config is not valid: ${JSON.stringify(inThread.issues.slice(0, 3))}`);

await prepareConfigOffThread(largest, templateLookup); // starts the worker
const offThread: number[] = [];
const loopDelays: number[] = [];
const onThread: number[] = [];
for (let run = 0; run < runs; run++) {
  const delay = monitorEventLoopDelay({ resolution: 10 });
  delay.enable();
  const t0 = performance.now();
  const result = await prepareConfigOffThread(largest, templateLookup);
  offThread.push(performance.now() - t0);
  delay.disable();
  loopDelays.push(delay.max / 1e6);
  if (!result.ok) throw new Error("invalid off-thread");
  const t1 = performance.now();
  prepareConfig(largest, templateLookup);
  onThread.push(performance.now() - t1);
}

console.log(`runs: ${runs}, node ${process.version}`);
console.log(
  `refused edit: ${(editBytes / 1024 / 1024).toFixed(1)} MB, 200000 posts      median ${ms(median(edits))}   max ${ms(Math.max(...edits))}`,
);
console.log(
  `GET /login meanwhile (slowest per run)             median ${ms(median(logins))}   max ${ms(Math.max(...logins))}`,
);
console.log(
  `largest allowed config: ${(largestBytes / 1024).toFixed(0)} KiB, ${cap("org/units")} units, ${cap("posts")} posts, ${cap("categories")} categories`,
);
console.log(
  `  validated in the worker (incl. copying)          median ${ms(median(offThread))}   max ${ms(Math.max(...offThread))}`,
);
console.log(
  `  event loop delay meanwhile (max)                 median ${ms(median(loopDelays))}   max ${ms(Math.max(...loopDelays))}`,
);
console.log(`  the same on the main thread, for comparison      median ${ms(median(onThread))}`);
process.exit(0);
