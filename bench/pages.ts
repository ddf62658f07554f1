// `npm run bench:pages [-- --runs 3]`: page weight and time to first render of the main screens.
// Starts the app as `npm start` does (like tests/setup/app-process.ts, on a fresh test database;
// run `npm run build` first), reports two cases, logs in as the routing user in Chromium and loads
// each page with a cold cache: transferred JS bytes, total bytes, DOMContentLoaded and
// first-contentful-paint from the browser's performance API (median of the runs).
// Figures are recorded in bench/README.md.
import { parseArgs } from "node:util";
import { HttpSession, startAppOn } from "#tests/setup/app-process";
import { launchChromium } from "#tests/setup/browser";
import { createTestDatabase } from "#tests/setup/services";

const { values } = parseArgs({ options: { runs: { type: "string", default: "3" } } });
const runs = Math.max(1, Number(values.runs));

type Sample = { jsBytes: number; totalBytes: number; requests: number; dcl: number; fcp: number };

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};
const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;

const database = await createTestDatabase();
const app = await startAppOn(database);
const browser = await launchChromium();
try {
  const grid1 = new HttpSession(app.url);
  await grid1.login("east.grid1");
  for (const summary of ["桥头村噪音纠纷反复", "桥头村宅基地纠纷"]) {
    const res = await grid1.post("/t/east-lake/report", {
      payload: JSON.stringify({
        categoryId: "dispute",
        data: { summary, parties: 2, location: "桥头村5组", partyPhone: "13700003333" },
      }),
    });
    if (res.status !== 302) throw new Error(`report failed: ${res.status}`);
  }
  const list = await (await grid1.request("/t/east-lake")).text();
  const casePath = /href="(\/t\/east-lake\/cases\/[0-9a-f-]{36})"/.exec(list)?.[1];
  if (!casePath) throw new Error("no case in the list");

  // Log in once in the browser; each measured load gets a fresh context (cold cache) with the session.
  const loginContext = await browser.newContext();
  const loginPage = await loginContext.newPage();
  await loginPage.goto(app.url + "/login");
  await loginPage.getByLabel("账号").fill("east.routing");
  await loginPage.getByLabel("密码").fill("gridwork-demo");
  await loginPage.getByRole("button", { name: "登录" }).click();
  await loginPage.waitForURL(/\/t$/);
  const session = await loginContext.storageState();
  await loginContext.close();

  const pages: Array<[string, string, boolean]> = [
    ["login", "/login", false],
    ["case list", "/t/east-lake", true],
    ["report form", "/t/east-lake/report", true],
    ["case detail", casePath, true],
    ["workbench", "/t/east-lake/work", true],
    ["dashboard", "/t/east-lake/dashboard", true],
    ["scores", "/t/east-lake/scores", true],
  ];
  const rows: string[] = [];
  for (const [name, pathname, loggedIn] of pages) {
    const samples: Sample[] = [];
    for (let i = 0; i < runs; i++) {
      const context = await browser.newContext(loggedIn ? { storageState: session } : {});
      const page = await context.newPage();
      const res = await page.goto(app.url + pathname, { waitUntil: "load" });
      if (res?.status() !== 200) throw new Error(`${name}: HTTP ${res?.status()}`);
      // Paint entries arrive after load on a quiet page; give them a moment.
      await page
        .waitForFunction(() => performance.getEntriesByName("first-contentful-paint").length > 0, undefined, {
          timeout: 5000,
        })
        .catch(() => undefined);
      samples.push(
        await page.evaluate(() => {
          const nav = performance.getEntriesByType("navigation")[0] as PerformanceNavigationTiming;
          const resources = performance.getEntriesByType("resource") as PerformanceResourceTiming[];
          const js = resources.filter((r) => new URL(r.name).pathname.endsWith(".js"));
          const fcp = performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN;
          return {
            jsBytes: js.reduce((n, r) => n + r.transferSize, 0),
            totalBytes: nav.transferSize + resources.reduce((n, r) => n + r.transferSize, 0),
            requests: 1 + resources.length,
            dcl: nav.domContentLoadedEventEnd,
            fcp,
          };
        }),
      );
      await context.close();
    }
    const m = (k: keyof Sample) => median(samples.map((s) => s[k]));
    rows.push(
      `| ${name} | \`${pathname.replace(/[0-9a-f-]{36}$/, ":caseId")}\` | ${kib(m("jsBytes"))} | ${kib(m("totalBytes"))} | ${m("requests")} | ${m("dcl").toFixed(0)} ms | ${m("fcp").toFixed(0)} ms |`,
    );
  }
  console.log(
    `Page weight and first render, median of ${runs} cold loads (Chromium ${browser.version()}, app on ${database.kind}, production build):\n`,
  );
  console.log(
    "| page | path | JS transferred | total transferred | requests | DOMContentLoaded | first contentful paint |",
  );
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
} finally {
  await browser.close();
  await app.stop();
  await database.drop();
}
