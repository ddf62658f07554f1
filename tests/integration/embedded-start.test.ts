// `npm start` on a bare machine: no DATABASE_URL, no REDIS_URL → embedded PGlite in the data
// folder, migrated and seeded, jobs in-process; a user logs in and reports a case over HTTP.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession, startApp, type AppProcess } from "#tests/setup/app-process";
import { validDispute } from "./helpers";

let app: AppProcess;
beforeAll(async () => {
  app = await startApp({ DATABASE_URL: undefined, REDIS_URL: undefined, SESSION_SECRET: undefined });
});
afterAll(() => app?.stop());

describe("npm start without any services", () => {
  it("uses the embedded database and in-process jobs, and prints the demo logins", () => {
    expect(app.output()).toMatch(/embedded PostgreSQL \(PGlite\)/);
    expect(app.output()).toMatch(/Jobs: in-process/);
    expect(app.output()).toMatch(/east\.grid1/);
    expect(app.output()).toMatch(/gridwork-demo/);
  });

  it("turns away a wrong password with a clear message", async () => {
    const http = new HttpSession(app.url);
    const res = await http.post("/login", { login: "east.grid1", password: "wrong" });
    expect(res.status).toBe(401);
    expect(await res.text()).toContain("账号或密码错误");
  });

  it("lets a grid worker report a case that the routing post then gets notified of", async () => {
    const grid = new HttpSession(app.url);
    await grid.login("east.grid1");
    const res = await grid.post("/t/east-lake/report", {
      payload: JSON.stringify({ categoryId: "dispute", data: validDispute }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/t\/east-lake\?reported=\d{4}-000001$/);
    const list = await (await grid.request("/t/east-lake")).text();
    expect(list).toContain("邻里噪音纠纷");

    const routing = new HttpSession(app.url);
    await routing.login("east.routing");
    // The in-process runner delivers the notification shortly after the report.
    let unread = "";
    for (let i = 0; i < 40 && !/通知 1</.test(unread); i++) {
      await new Promise((r) => setTimeout(r, 250));
      unread = await (await routing.request("/t")).text();
    }
    expect(unread).toMatch(/通知 1</);
  });

  it("logs out for real: the old session cookie no longer works", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.routing");
    expect((await http.request("/t")).status).toBe(200);
    const cookieJar = (http as unknown as { cookies: Map<string, string> }).cookies;
    const saved = cookieJar.get("gw_session")!;
    await http.post("/logout", {});
    cookieJar.set("gw_session", saved);
    const after = await http.request("/t");
    expect(after.status).toBe(302);
    expect(after.headers.get("location")).toMatch(/^\/login/);
  });
});
