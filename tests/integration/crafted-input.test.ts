// Crafted input gets a 4xx, never a 500, and leaves no stack trace in the server's log: ids that
// are no uuid, NUL bytes, absurd page numbers, methods and bodies no page takes
// (docs/decisions/020-bounded-request-bodies.md).
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession, startAppOnFreshDatabase, type FreshApp } from "#tests/setup/app-process";
import { validDispute } from "./helpers";

let app: FreshApp;
let grid: HttpSession;
let director: HttpSession;
let caseId = "";
beforeAll(async () => {
  app = await startAppOnFreshDatabase();
  grid = new HttpSession(app.url);
  await grid.login("east.grid1");
  director = new HttpSession(app.url);
  await director.login("east.director");
  await grid.post("/t/east-lake/report", { payload: JSON.stringify({ categoryId: "dispute", data: validDispute }) });
  caseId =
    /"id":"([0-9a-f-]{36})"/.exec(
      await (await grid.request("/t/east-lake/work?_data=routes/t.$tenant.work")).text(),
    )?.[1] ?? "";
  expect(caseId).not.toBe("");
});
afterAll(() => app?.stop());

const NOT_A_UUID = "-".repeat(36); // passed the old /^[0-9a-f-]{36}$/ check
const ZERO = "00000000-0000-0000-0000-000000000000";
const json = (body: unknown) => ({ payload: JSON.stringify(body) });
const nulDispute = { categoryId: "dispute", data: { ...validDispute, summary: "邻里\u0000纠纷" } };

/** Sends a request with a method fetch refuses to send (TRACE). */
function rawRequest(method: string, path: string) {
  return new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = http.request(app.url + path, { method }, (res) => {
      let text = "";
      res.setEncoding("utf8");
      res.on("data", (d: string) => (text += d));
      res.on("end", () => resolve({ status: res.statusCode!, text }));
    });
    req.on("error", reject);
    req.end();
  });
}

const cases: Array<[string, () => Promise<Response>, number]> = [
  [
    "a file download whose case id is no uuid",
    () => grid.request(`/t/east-lake/cases/${NOT_A_UUID}/files/${ZERO}`),
    404,
  ],
  ["a case id of 36 dashes", () => grid.request(`/t/east-lake/cases/${NOT_A_UUID}`), 404],
  [
    "a case id of 36 dashes, as data",
    () => grid.request(`/t/east-lake/cases/${NOT_A_UUID}?_data=routes/t.$tenant.cases.$caseId`),
    404,
  ],
  ["a supervision sheet id of 36 dashes", () => grid.request(`/t/east-lake/sheets/${NOT_A_UUID}`), 404],
  [
    "a comment on a case id that is no uuid",
    () => grid.post("/t/east-lake/cases/not-a-case/comments", { body: "你好" }),
    404,
  ],
  [
    "an upload to a case id that is no uuid",
    () => grid.request("/t/east-lake/cases/not-a-case/files", { method: "POST", body: new FormData() }),
    404,
  ],
  ["a NUL byte in the search", () => grid.request("/t/east-lake/work?q=%E7%BA%A0%00"), 400],
  ["a NUL byte in the township code", () => grid.request("/t/east%00lake"), 400],
  [
    "a NUL byte in the login",
    () => new HttpSession(app.url).post("/login", { login: "east.grid1\u0000", password: "x" }),
    400,
  ],
  [
    "a NUL byte in a comment",
    () => grid.post(`/t/east-lake/cases/${caseId}/comments`, { body: "现场\u0000已处理" }),
    400,
  ],
  ["a NUL byte in the report form", () => grid.post("/t/east-lake/report", json(nulDispute)), 400],
  [
    "a NUL byte in the report form, as data",
    () => grid.post("/t/east-lake/report?_data=routes/t.$tenant.report", json(nulDispute)),
    400,
  ],
  ["page=1e20 on the audit log", () => director.request("/t/east-lake/audit?page=1e20"), 400],
  [
    "a page number past any integer on the workbench",
    () => grid.request("/t/east-lake/work?page=99999999999999999999"),
    400,
  ],
  [
    "a JSON body on a form action",
    () =>
      grid.request("/login", {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ login: "east.grid1", password: "x" }),
      }),
    415,
  ],
  [
    "a text body on a form action",
    () =>
      grid.request(`/t/east-lake/cases/${caseId}/comments`, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: "body=hi",
      }),
    415,
  ],
  [
    "a malformed multipart body",
    () =>
      grid.request("/login", {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data; boundary=xyz" },
        body: "not multipart at all",
      }),
    400,
  ],
  ["a browser asking for /favicon.ico", () => new HttpSession(app.url).request("/favicon.ico"), 404],
  ["a page that does not exist", () => grid.request("/no-such-page"), 404],
  [
    "a multipart body without a boundary",
    () =>
      grid.request("/t/east-lake/report", {
        method: "POST",
        headers: { "Content-Type": "multipart/form-data" },
        body: "--x--",
      }),
    400,
  ],
];

describe("crafted input", () => {
  it.each(cases)("answers %s with a 4xx", async (_what, send, status) => {
    const res = await send();
    expect(res.status).toBe(status);
    await res.body?.cancel();
  });

  it("refuses TRACE (which would echo cookies back) with 405", async () => {
    const res = await rawRequest("TRACE", "/login");
    expect(res.status).toBe(405);
    expect(res.text).toBe("不支持该请求方法 / Method not allowed");
  });

  it("sends a language switch with a newline in its way back home instead of failing", async () => {
    const res = await grid.post("/lang", { to: "zh-CN", back: "/t/east-lake\nSet-Cookie: x=1" });
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/");
  });

  it("tells the person what was wrong with the input, in both languages", async () => {
    const page = await (await grid.post(`/t/east-lake/cases/${caseId}/comments`, { body: "a\u0000b" })).text();
    expect(page).toContain(
      "表单含有空字符 (NUL)，无法保存 / The form contains a NUL character, which cannot be stored",
    );
    const report = await (
      await grid.post("/t/east-lake/report?_data=routes/t.$tenant.report", json(nulDispute))
    ).json();
    expect(report.issues[0].message).toBe("表单含有空字符 (NUL)，无法保存");
    // Only a real NUL is refused: a comment that mentions \u0000 in words is kept.
    expect(
      (await grid.post(`/t/east-lake/cases/${caseId}/comments`, { body: "日志里出现了 \\u0000 字样" })).status,
    ).toBe(302);
  });

  it("keeps the server log free of stack traces for all of them", async () => {
    const from = app.output().length;
    for (const [, send] of cases) await (await send()).body?.cancel();
    expect((await grid.request("/t/%E0%A4%A/work")).status).toBe(400); // not valid percent-encoding
    await rawRequest("TRACE", "/login");
    await grid.post("/lang", { to: "zh-CN", back: "/a\nb" });
    // A request that works afterwards: the log is read once it has answered.
    expect((await grid.request("/t/east-lake")).status).toBe(200);
    const log = app.output().slice(from);
    expect(log).not.toMatch(/^\s+at /m);
    expect(log).not.toMatch(/Error/);
  });
});
