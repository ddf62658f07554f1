// Sessions end when left alone, the cookie ends with the browser unless asked to stay, HTTPS is
// pinned by HSTS whenever COOKIE_SECURE=true, and only the configured host names are answered.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "#app/server/db.server";
import { SESSION_TTL_MS } from "#app/server/session.server";
import { getWithHost, HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { createTestDatabase, type TestDatabase } from "#tests/setup/services";

const IDLE_MINUTES = 20;
let database: TestDatabase;
let db: Db;
let app: AppProcess;
beforeAll(async () => {
  database = await createTestDatabase();
  db = createPrisma(database.url, database.kind === "pglite");
  app = await startAppOn(database, {
    COOKIE_SECURE: "true",
    SESSION_IDLE_MINUTES: String(IDLE_MINUTES),
    ALLOWED_HOSTS: "gridwork.test, 127.0.0.1",
  });
});
afterAll(async () => {
  await app?.stop();
  await db?.$disconnect();
  await database?.drop();
});

const sessionCookie = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("gw_session="))!;
const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000);

describe("sessions", () => {
  it("ends the cookie with the browser unless the person asks to stay signed in", async () => {
    expect(await (await new HttpSession(app.url).request("/login")).text()).toContain("保持登录");

    const plain = sessionCookie(
      await new HttpSession(app.url).post("/login", { login: "east.grid1", password: "gridwork-demo" }),
    );
    expect(plain).not.toMatch(/Max-Age|Expires/i);
    expect(plain).toMatch(/; Secure/i);

    const kept = sessionCookie(
      await new HttpSession(app.url).post("/login", { login: "east.grid1", password: "gridwork-demo", remember: "on" }),
    );
    expect(kept).toContain(`Max-Age=${SESSION_TTL_MS / 1000}`);
  });

  it("ends a session left idle longer than SESSION_IDLE_MINUTES, and keeps one in use alive", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.routing");
    const mine = { user: { login: "east.routing" } };

    await db.session.updateMany({ where: mine, data: { lastSeenAt: minutesAgo(IDLE_MINUTES - 1) } });
    expect((await http.request("/t")).status).toBe(200);
    // That request counted as activity: the session's idle clock started again.
    const seen = await db.session.findFirstOrThrow({ where: mine, select: { lastSeenAt: true } });
    expect(seen.lastSeenAt.getTime()).toBeGreaterThan(minutesAgo(1).getTime());

    await db.session.updateMany({ where: mine, data: { lastSeenAt: minutesAgo(IDLE_MINUTES + 1) } });
    const after = await http.request("/t");
    expect(after.status).toBe(302);
    expect(after.headers.get("Location")).toMatch(/^\/login/);
    expect(await db.session.count({ where: mine })).toBe(0);
  });
});

describe("transport", () => {
  it("sends HSTS whenever COOKIE_SECURE=true, even when TLS ends at a proxy it was not told about", async () => {
    const res = await fetch(app.url + "/login");
    expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d{7,}/);
  });

  it("answers only to the host names in ALLOWED_HOSTS", async () => {
    const port = new URL(app.url).port;
    expect((await getWithHost(app.url, "gridwork.test")).status).toBe(200);
    expect((await getWithHost(app.url, `127.0.0.1:${port}`)).status).toBe(200);
    // The list replaces the defaults; a rebinding name is refused before any route runs.
    for (const host of [`localhost:${port}`, `rebind.attacker.example:${port}`, "gridwork.test.attacker.example"]) {
      const res = await getWithHost(app.url, host);
      expect(res.status, host).toBe(421);
      expect(res.body, host).toContain("此地址不由本系统提供服务 / This host is not served here");
    }
  });
});
