// No request stalls the server for everyone (issue 12, item 2): oversized config edits are refused
// by their caps before any work, validation runs off the event loop, and JSON nested deeper than
// 64 levels is a 400 wherever forms post it. Over real HTTP against the built server.
import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession, startAppOnFreshDatabase, streamedForm, type FreshApp } from "#tests/setup/app-process";
import { validDispute } from "./helpers";

let app: FreshApp;
beforeAll(async () => {
  app = await startAppOnFreshDatabase();
});
afterAll(() => app?.stop());

// As the editor's fetcher posts it: the action's JSON, not the page.
const CONFIG = "/t/east-lake/admin/config?_data=routes%2Ft.%24tenant.admin.config";
const posts = (n: number, from = 0) =>
  Array.from({ length: n }, (_, i) => ({
    id: `extra-${from + i}`,
    kind: "working",
    unit: "command-room",
    name: { zh: `岗位${from + i}` },
  }));
const sectionsEdit = (sections: Record<string, unknown>) => JSON.stringify({ kind: "sections", sections });

/** One GET /login, in milliseconds. */
async function loginLatency() {
  const t0 = performance.now();
  const res = await fetch(app.url + "/login");
  await res.text();
  expect(res.status).toBe(200);
  return performance.now() - t0;
}

/**
 * The slowest GET /login while `work` runs may be at most a second over the slowest of a few just
 * before it: a stalled event loop shows as seconds, a loaded machine slows both alike.
 */
function expectLoginKeepsAnswering(latencies: number[], baseline: number[]) {
  expect(Math.max(...latencies)).toBeLessThan(Math.max(...baseline) + 1000);
}

async function baselineLatencies() {
  const out: number[] = [];
  for (let i = 0; i < 5; i++) out.push(await loginLatency());
  return out;
}

/** GET /login over and over while `work` runs; how long each took. */
async function loginLatenciesDuring<T>(work: Promise<T>): Promise<{ result: T; latencies: number[] }> {
  let done = false;
  const settled = work.finally(() => (done = true));
  const latencies: number[] = [];
  do {
    latencies.push(await loginLatency());
    if (!done) await new Promise((r) => setTimeout(r, 100));
  } while (!done);
  return { result: await settled, latencies };
}

async function admin() {
  const http = new HttpSession(app.url);
  await http.login("east.admin");
  await (await fetch(app.url + "/login")).text(); // first render warmed up, not counted
  return http;
}

describe("config edits beyond the caps", () => {
  it("refuses an edit of over 10 MB with 200,000 posts quickly, naming the limit, while GET /login keeps answering (within a second of its pace just before)", async () => {
    const http = await admin();
    const edit = sectionsEdit({ posts: posts(200_000) });
    expect(edit.length).toBeGreaterThan(10 * 1024 * 1024);
    // Over MAX_CONFIG_FORM_BYTES: refused while the body streams in, before anything is parsed.
    const init = streamedForm({ intent: "validate", edit });
    const baseline = await baselineLatencies();
    const post = http.request(CONFIG, init).then(async (res) => ({ status: res.status, text: await res.text() }));
    const { result, latencies } = await loginLatenciesDuring(post);
    expect(result.status).toBe(413);
    expect(result.text).toBe("请求内容超过 8 MB 的上限 / The request is larger than the 8 MB limit");
    expectLoginKeepsAnswering(latencies, baseline);
  });

  it("refuses a config document over its 2 MB cap before parsing it, naming the cap in both languages", async () => {
    const http = await admin();
    const edit = sectionsEdit({ posts: posts(40_000) });
    expect(edit.length).toBeGreaterThan(2 * 1024 * 1024);
    const res = await http.post(CONFIG, { intent: "validate", edit });
    expect(res.status).toBe(413);
    const json = (await res.json()) as {
      ok: boolean;
      issues: Array<{ code: string; message: { zh: string; en: string } }>;
    };
    expect(json.ok).toBe(false);
    expect(json.issues).toEqual([
      expect.objectContaining({
        code: "limit.bytes",
        message: {
          zh: expect.stringMatching(/^内容过大：\d+(\.\d)? MB，上限 2 MB$/),
          en: expect.stringMatching(/^Too large: \d+(\.\d)? MB, limit 2 MB$/),
        },
      }),
    ]);
  });

  it("refuses an edit with more posts than the cap before validating it, naming the cap in both languages", async () => {
    const http = await admin();
    const res = await http.post(CONFIG, { intent: "validate", edit: sectionsEdit({ posts: posts(2500) }) });
    expect(res.status).toBe(413);
    const json = (await res.json()) as {
      issues: Array<{ path: string; code: string; message: { zh: string; en: string } }>;
    };
    expect(json.issues).toEqual([
      {
        path: "/posts",
        code: "limit.count",
        params: { what: "posts", entries: 2500, limit: 2000 },
        where: "config",
        message: { zh: "配置过大：岗位 2500 个，上限 2000", en: "Config too large: 2500 posts, limit 2000" },
      },
    ]);
    // Publishing is refused the same way and publishes nothing.
    const publish = await http.post(CONFIG, {
      intent: "publish",
      baseVersion: "1",
      edit: sectionsEdit({ posts: posts(2500) }),
    });
    expect(publish.status).toBe(413);
    expect(await (await http.request("/t/east-lake/admin")).text()).not.toContain("extra-0");
  });

  it("checks an edit within the caps in the worker thread of the built server, with its changes", async () => {
    const http = await admin();
    const page = (await (await http.request(CONFIG)).json()) as { sections: { posts: unknown[] } };
    const edit = sectionsEdit({ posts: [...page.sections.posts, ...posts(1500)] });
    const baseline = await baselineLatencies();
    const { result, latencies } = await loginLatenciesDuring(
      http
        .post(CONFIG, { intent: "validate", edit })
        .then(async (res) => ({ status: res.status, json: (await res.json()) as { ok: boolean; changes: unknown[] } })),
    );
    expect(result.status).toBe(200);
    expect(result.json.ok).toBe(true);
    expect(result.json.changes).toHaveLength(1500);
    expectLoginKeepsAnswering(latencies, baseline);
  });
});

// Arrays: the most levels for the fewest bytes, so 100,000 levels stay within the form limit.
const deep = (levels: number) => "[".repeat(levels) + "1" + "]".repeat(levels);

describe("JSON nested deeper than 64 levels", () => {
  let caseUrl: string;
  beforeAll(async () => {
    const worker = new HttpSession(app.url);
    await worker.login("east.grid1");
    const reported = await worker.post("/t/east-lake/report", {
      payload: JSON.stringify({ categoryId: "dispute", data: validDispute }),
    });
    expect(reported.status).toBe(302);
    const list = await (await worker.request("/t/east-lake")).text();
    caseUrl = /\/t\/east-lake\/cases\/[0-9a-f-]{36}/.exec(list)![0];
  });

  it.each([65, 100_000])(
    "is refused with 400 at %i levels: in report data, a transition's input and a config edit",
    async (levels) => {
      const worker = new HttpSession(app.url);
      await worker.login("east.grid1");
      const report = await worker.post("/t/east-lake/report", {
        payload: `{"categoryId":"dispute","data":{"summary":${deep(levels - 2)}}}`,
      });
      expect(report.status).toBe(400);
      expect(await report.text()).toContain("内容嵌套过深：超过 64 层");

      const routing = new HttpSession(app.url);
      await routing.login("east.routing");
      const transition = await routing.post(caseUrl, {
        payload: `{"transitionId":"accept","expectedVersion":1,"input":${deep(levels - 1)}}`,
      });
      expect(transition.status).toBe(400);
      expect(await transition.text()).toContain("内容嵌套过深：超过 64 层");

      const http = await admin();
      const edit = await http.post(CONFIG, {
        intent: "validate",
        edit: `{"kind":"sections","sections":{"posts":[${deep(levels - 3)}]}}`,
      });
      expect(edit.status).toBe(400);
      expect(await edit.json()).toMatchObject({
        ok: false,
        issues: [
          {
            code: "limit.depth",
            message: { zh: "内容嵌套过深：超过 64 层", en: "Nested too deeply: more than 64 levels" },
          },
        ],
      });

      // 64 levels pass the depth check (and are then refused by validation as usual).
      const edge = await http.post(CONFIG, {
        intent: "validate",
        edit: `{"kind":"sections","sections":{"posts":[${deep(61)}]}}`,
      });
      expect(edge.status).toBe(200);
      expect(((await edge.json()) as { issues: Array<{ code: string }> }).issues.map((i) => i.code)).not.toContain(
        "limit.depth",
      );
    },
  );
});

describe("the CLI", () => {
  it("refuses to validate a config file over a count cap, naming it", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "gridwork-caps-"));
    try {
      const file = path.join(dir, "big.json");
      writeFileSync(
        file,
        JSON.stringify({
          kind: "township",
          id: "big",
          version: "1.0.0",
          extends: "command-room-guideline@1.0.0",
          name: { zh: "大镇" },
          posts: posts(2500),
        }),
      );
      const run = await new Promise<{ code: number; output: string }>((resolve) =>
        execFile(
          process.execPath,
          ["--import", "tsx", "scripts/config-cli.ts", "validate", file],
          { env: { ...process.env, DATABASE_URL: undefined }, encoding: "utf8" },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, output: stdout + stderr }),
        ),
      );
      expect(run.code).toBe(1);
      expect(run.output).toContain("配置过大：岗位 2500 个，上限 2000 / Config too large: 2500 posts, limit 2000");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
