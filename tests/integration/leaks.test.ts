// What must not leave the site or outlive a session (issue #12: items 4, 5, 8, 9): redirects stay on
// this host, exports carry no formulas, phone and ID fields are masked on every screen that shows
// them, and nothing answered to a session is kept by a cache.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addAttachments } from "#app/server/attachments.server";
import { reportCase } from "#app/server/cases.server";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { currentPeriodKey } from "#app/server/score-views.server";
import { transitionCase } from "#app/server/workflow.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, validDispute, type Seeded, latestVersion } from "./helpers";

const ZONE = "Asia/Shanghai";

let s: Seeded;
let app: AppProcess;
let caseId = "";
let fileId = "";
const FORMULA = "=cmd|' /C calc'!A0";
const TRIAGE_NOTE = "当事人另留电话13700007777";
const PNG = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);

beforeAll(async () => {
  s = await seededDatabase();
  // East Lake masks the triage note too, so the audit log has a masked transition input to show.
  const { source } = await latestVersion(s.db, "east-lake");
  source.forms = { ...(source.forms as object | undefined), triage: { maskedFields: ["note"] } };
  const published = await publishTownshipConfig(s.db, source, { by: "test", now: new Date() });
  if (!published.ok) throw new Error(JSON.stringify(published));
  const reported = await reportCase(
    await s.context("east.grid1"),
    { categoryId: "dispute", data: validDispute },
    new Date(),
  );
  if (!reported.ok) throw new Error("report failed");
  caseId = reported.caseId;
  const triaged = await transitionCase(
    s.db,
    await s.context("east.routing"),
    caseId,
    {
      transitionId: "triage",
      input: { gradeId: "general", note: TRIAGE_NOTE },
      expectedVersion: 1,
    },
    new Date(),
  );
  if (!triaged.ok) throw new Error(`triage failed: ${JSON.stringify(triaged)}`);
  if (
    !(await addAttachments(await s.context("east.grid1"), caseId, [{ name: "现场照片.png", bytes: PNG }], new Date()))
      .ok
  )
    throw new Error("attach failed");
  fileId = (await s.db.attachment.findFirstOrThrow({ where: { caseId } })).id;
  app = await startAppOn(s.database);
});
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

const loggedIn = (login: string) => HttpSession.as(app.url, login);
const report = (http: HttpSession, categoryId: string, data: Record<string, unknown>) =>
  http.post("/t/east-lake/report", { payload: JSON.stringify({ categoryId, data }) });

describe("redirects stay on this host", () => {
  // Known open-redirect bypasses: each names another host to some parser or browser.
  const corpus = [
    "//evil.example/x",
    "///evil.example",
    "/\\evil.example/x",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/%09/evil.example",
    "/%0a/evil.example",
    "/%5cevil.example",
    "/%5c%5cevil.example",
    "/%2f%2fevil.example",
    "/%2F/evil.example",
    "/\uFF0F/evil.example",
    "/\u2215\u2215evil.example",
    "/\uFF3Cevil.example",
    "/.//evil.example",
    "/..//evil.example",
    " //evil.example",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "/javascript:alert(1)",
  ];
  const here = () => new URL(app.url).origin;
  const expectOnHost = (res: Response, target: string) => {
    expect(res.status, JSON.stringify(target)).toBe(302);
    const location = res.headers.get("Location") ?? "";
    expect(location, JSON.stringify(target)).toMatch(/^\/(?![/\\])/);
    expect(location, JSON.stringify(target)).not.toMatch(/[\u0000-\u001f\\]/);
    expect(new URL(location, app.url).origin, JSON.stringify(target)).toBe(here());
  };

  it("after login", async () => {
    for (const target of corpus) {
      expectOnHost(
        await new HttpSession(app.url).post("/login", {
          login: "east.grid1",
          password: "gridwork-demo",
          redirectTo: target,
        }),
        target,
      );
    }
    const ok = await new HttpSession(app.url).post("/login", {
      login: "east.grid1",
      password: "gridwork-demo",
      redirectTo: "/t/east-lake/report?x=1",
    });
    expect(ok.headers.get("Location")).toBe("/t/east-lake/report?x=1");
  });

  it("after a language switch", async () => {
    for (const target of corpus)
      expectOnHost(await new HttpSession(app.url).post("/lang", { to: "en", back: target }), target);
    expect(
      (await new HttpSession(app.url).post("/lang", { to: "en", back: "/t/east-lake" })).headers.get("Location"),
    ).toBe("/t/east-lake");
  });

  it("after a password change", async () => {
    const http = await loggedIn("west.grid1");
    const passwords = ["Gridwork-Spring-2026", "Gridwork-Autumn-2026"];
    let current = "gridwork-demo";
    for (const [i, target] of corpus.entries()) {
      const next = passwords[i % 2]!;
      expectOnHost(await http.post("/password", { current, next, confirm: next, redirectTo: target }), target);
      current = next;
    }
    const next = current === passwords[0] ? passwords[1]! : passwords[0]!;
    const ok = await http.post("/password", { current, next, confirm: next, redirectTo: "/t/west-hill" });
    expect(ok.headers.get("Location")).toBe("/t/west-hill?passwordChanged=1");
  });
});

/** RFC 4180 cells of a CSV body (quoted cells may hold commas, quotes and line breaks). */
function csvCells(text: string): string[][] {
  const rows: string[][] = [[]];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      rows.at(-1)!.push(cell);
      cell = "";
    } else if (ch === "\n") {
      rows.at(-1)!.push(cell.replace(/\r$/, ""));
      cell = "";
      rows.push([]);
    } else cell += ch;
  }
  return rows.filter((r) => r.length);
}

async function xlsxCells(body: ArrayBuffer) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(body);
  const cells: ExcelJS.Cell[] = [];
  book.eachSheet((sheet) => sheet.eachRow((row) => row.eachCell((cell) => void cells.push(cell))));
  return cells;
}

describe("exports", () => {
  it("carry a formula-looking title and name as inert text: CSV cells prefixed with ', XLSX cells strings", async () => {
    const grid = await loggedIn("east.grid1");
    expect((await report(grid, "dispute", { ...validDispute, summary: FORMULA })).status).toBe(302);
    await s.db.user.update({ where: { login: "east.grid1" }, data: { displayName: "@SUM(1+1)*cmd|' /C calc'!A0" } });

    const routing = await loggedIn("east.routing");
    const csv = await routing.post("/t/east-lake/export", { format: "csv" });
    expect(csv.status).toBe(200);
    const cells = csvCells((await csv.text()).replace(/^\uFEFF/, "")).flat();
    expect(cells).toContain(`'${FORMULA}`);
    expect(cells).toContain("'@SUM(1+1)*cmd|' /C calc'!A0");
    for (const cell of cells) expect(cell, cell).not.toMatch(/^[=+\-@\t\r]/);

    const xlsx = await routing.post("/t/east-lake/export", { format: "xlsx" });
    const titles = (await xlsxCells(await xlsx.arrayBuffer())).filter((c) => String(c.value).includes("cmd|"));
    expect(titles.length).toBeGreaterThan(0);
    for (const c of titles) {
      expect(c.type).toBe(ExcelJS.ValueType.String);
      expect(c.formula).toBeUndefined();
    }

    const director = await loggedIn("east.director");
    const review = await director.post(`/t/east-lake/reports/${currentPeriodKey(ZONE, new Date())}/export`, {});
    expect(review.status).toBe(200);
    const reviewCells = await xlsxCells(await review.arrayBuffer());
    const names = reviewCells.filter((c) => String(c.value).includes("cmd|"));
    expect(names.length).toBeGreaterThan(0);
    for (const c of names) expect(c.type).toBe(ExcelJS.ValueType.String);
    for (const c of reviewCells) {
      expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number, ExcelJS.ValueType.Merge], String(c.value)).toContain(
        c.type,
      );
    }
  });
});

describe("masking", () => {
  it("hides the public-service contact phone from a reader who may not see masked fields, on the page and in its data", async () => {
    const grid = await loggedIn("east.grid1");
    const res = await report(grid, "public-service", { summary: "路灯不亮已经一周", contactPhone: "13912345678" });
    expect(res.status).toBe(302);
    const row = await s.db.case.findFirstOrThrow({ where: { title: "路灯不亮已经一周" } });
    const path = `/t/east-lake/cases/${row.id}`;
    const village = await loggedIn("east.village");
    for (const url of [path, `${path}?_data=${encodeURIComponent("routes/t.$tenant.cases.$caseId")}`]) {
      const page = await village.request(url);
      expect(page.status, url).toBe(200);
      const text = await page.text();
      expect(text, url).toContain("路灯不亮已经一周");
      expect(text, url).not.toContain("13912345678");
    }
    const director = await loggedIn("east.director");
    expect(await (await director.request(path)).text()).toContain("13912345678");
  });

  it("masks a transition's input on the audit log exactly as the case page does for that viewer", async () => {
    const data = `/t/east-lake/audit?_data=${encodeURIComponent("routes/t.$tenant.audit")}`;
    const admin = await loggedIn("east.admin");
    for (const url of ["/t/east-lake/audit", data]) {
      const page = await admin.request(url);
      expect(page.status, url).toBe(200);
      const text = await page.text();
      expect(text, url).toContain("case.transition");
      expect(text, url).not.toContain(TRIAGE_NOTE);
      expect(text, url).not.toContain("13700007777");
    }
    // Someone who may read masked fields sees the note in the audit log as on the case page.
    const director = await loggedIn("east.director");
    expect(await (await director.request(data)).text()).toContain(TRIAGE_NOTE);
    expect(await (await director.request(`/t/east-lake/cases/${caseId}`)).text()).toContain(TRIAGE_NOTE);
    const routingCase = await (await (await loggedIn("east.safety")).request(`/t/east-lake/cases/${caseId}`)).text();
    expect(routingCase).not.toContain(TRIAGE_NOTE);
  });
});

describe("caches", () => {
  it("keep no page or data answered to a session, and keep the public bundles", async () => {
    const http = await loggedIn("east.routing");
    for (const url of [
      "/t/east-lake",
      `/t/east-lake?_data=${encodeURIComponent("routes/t.$tenant._index")}`,
      `/t/east-lake/cases/${caseId}`,
      `/t/east-lake/cases/${caseId}?_data=${encodeURIComponent("routes/t.$tenant.cases.$caseId")}`,
    ]) {
      const res = await http.request(url);
      expect(res.status, url).toBe(200);
      expect(res.headers.get("Cache-Control"), url).toBe("no-store");
      expect(res.headers.get("Vary") ?? "", url).toMatch(/\bCookie\b/i);
    }
    const html = await (await http.request("/t/east-lake")).text();
    const bundle = /"(\/build\/[^"]+\.js)"/.exec(html)?.[1];
    expect(bundle).toBeTruthy();
    expect((await http.request(bundle!)).headers.get("Cache-Control")).toMatch(/max-age=31536000/);
  });

  it("serve a case photo private and no-store", async () => {
    const res = await (await loggedIn("east.routing")).request(`/t/east-lake/cases/${caseId}/files/${fileId}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toBe("image/png");
    const cache = res.headers.get("Cache-Control") ?? "";
    expect(cache).toMatch(/\bprivate\b/);
    expect(cache).toMatch(/\bno-store\b/);
    expect(cache).not.toMatch(/max-age=[1-9]/);
  });

  it("clear the site's cache, cookies and storage at logout", async () => {
    const http = await loggedIn("east.routing");
    const res = await http.request("/logout", { method: "POST" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Clear-Site-Data")).toBe('"cache", "cookies", "storage"');
    expect((await http.request("/t/east-lake")).status).toBe(302);
  });
});
