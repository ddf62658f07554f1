// Hardening a user never sees until it matters: CSRF, login throttling, session rotation, headers, Host.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getWithHost, HttpSession, startAppOnFreshDatabase, type FreshApp } from "#tests/setup/app-process";
import { validDispute } from "./helpers";

let app: FreshApp;
beforeAll(async () => {
  app = await startAppOnFreshDatabase();
});
afterAll(() => app?.stop());

const report = (http: HttpSession, headers: Record<string, string>) =>
  http.request("/t/east-lake/report", {
    method: "POST",
    headers,
    body: new URLSearchParams({ payload: JSON.stringify({ categoryId: "dispute", data: validDispute }) }),
  });

describe("CSRF", () => {
  it.each([
    ["no Origin or Referer", { Origin: "" }],
    ["another site's Origin", { Origin: "https://evil.example" }],
    ["another site's Referer only", { Origin: "", Referer: "https://evil.example/page" }],
  ])("refuses a state-changing request with %s", async (_what, headers) => {
    const http = new HttpSession(app.url);
    await http.login("east.grid1");
    const clean = Object.fromEntries(Object.entries(headers).filter(([, v]) => v));
    const res = await http.request("/t/east-lake/report", {
      method: "POST",
      headers: { ...clean, ...(headers.Origin === "" ? { Origin: "null" } : {}) },
      body: new URLSearchParams({ payload: JSON.stringify({ categoryId: "dispute", data: validDispute }) }),
    });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain("Cross-site request refused");
    const list = await (await http.request("/t/east-lake")).text();
    expect(list).not.toContain("邻里噪音纠纷");
  });

  it("accepts the same request from the app's own pages", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.grid1");
    const res = await report(http, { Origin: app.url });
    expect(res.status).toBe(302);
  });
});

describe("login", () => {
  // Per login and address: other addresses still get in (tests/integration/login-throttle.test.ts).
  it("throttles repeated failures for a login from one address, even with the right password afterwards", async () => {
    const http = new HttpSession(app.url);
    for (let i = 0; i < 5; i++)
      expect((await http.post("/login", { login: "east.director", password: "guess" + i })).status).toBe(401);
    const blocked = await http.post("/login", { login: "east.director", password: "gridwork-demo" });
    expect(blocked.status).toBe(429);
    expect(await blocked.text()).toContain("尝试次数过多");
    // Other logins from the same address are unaffected.
    expect((await http.post("/login", { login: "east.routing", password: "gridwork-demo" })).status).toBe(302);
  });

  it("issues a new session id at every login and ends the old one", async () => {
    const http = new HttpSession(app.url);
    const jar = (http as unknown as { cookies: Map<string, string> }).cookies;
    await http.login("east.grid1");
    const first = jar.get("gw_session");
    await http.login("east.grid1");
    const second = jar.get("gw_session");
    expect(second).toBeTruthy();
    expect(second).not.toBe(first);
    jar.set("gw_session", first!);
    expect((await http.request("/t")).status).toBe(302);
  });

  it("sets the session cookie httpOnly and SameSite=Lax", async () => {
    const res = await new HttpSession(app.url).post("/login", { login: "east.grid1", password: "gridwork-demo" });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith("gw_session="))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
  });
});

describe("headers", () => {
  it("sends a nonce-based Content-Security-Policy that the page's scripts carry", async () => {
    const res = await new HttpSession(app.url).request("/login");
    const csp = res.headers.get("content-security-policy") ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("frame-ancestors 'none'");
    const html = await res.text();
    const scripts = html.match(/<script\b[^>]*>/g) ?? [];
    expect(scripts.length).toBeGreaterThan(0);
    for (const tag of scripts) expect(tag).toContain(`nonce="${nonce}"`);
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("x-powered-by")).toBeNull();
  });

  it("redirects after login and a language switch only within the site", async () => {
    for (const target of ["//evil.example/x", "/\\evil.example/x", "https://evil.example/"]) {
      const login = await new HttpSession(app.url).post("/login", {
        login: "east.grid1",
        password: "gridwork-demo",
        redirectTo: target,
      });
      expect(login.headers.get("Location"), target).toBe("/t");
      const lang = await new HttpSession(app.url).post("/lang", { to: "en", back: target });
      expect(lang.headers.get("Location"), target).toBe("/");
    }
    const ok = await new HttpSession(app.url).post("/login", {
      login: "east.grid1",
      password: "gridwork-demo",
      redirectTo: "/t/east-lake/report",
    });
    expect(ok.headers.get("Location")).toBe("/t/east-lake/report");
  });

  it("answers on the listen address and localhost, and refuses another Host (DNS rebinding)", async () => {
    const port = new URL(app.url).port;
    expect((await getWithHost(app.url, `127.0.0.1:${port}`)).status).toBe(200);
    expect((await getWithHost(app.url, `localhost:${port}`)).status).toBe(200);
    const rebound = await getWithHost(app.url, `rebind.attacker.example:${port}`);
    expect(rebound.status).toBe(421);
    expect(rebound.body).toContain("This host is not served here");
    // No COOKIE_SECURE and plain HTTP: no HSTS that would lock a local install out.
    expect((await fetch(app.url + "/login")).headers.get("strict-transport-security")).toBeNull();
  });

  it("compresses pages and bundles for clients that accept gzip, and only for them", async () => {
    const page = await fetch(app.url + "/login", { headers: { "Accept-Encoding": "gzip" } });
    expect(page.headers.get("content-encoding")).toBe("gzip");
    // A shared chunk: big enough to be worth compressing (the tiny entry file is sent as is).
    const script = /"(\/build\/_shared\/[^"]+\.js)"/.exec(await page.text())?.[1];
    expect(script).toBeTruthy();
    const bundle = await fetch(app.url + script!, { headers: { "Accept-Encoding": "gzip" } });
    expect(bundle.headers.get("content-encoding")).toBe("gzip");
    const plain = await fetch(app.url + script!, { headers: { "Accept-Encoding": "identity" } });
    expect(plain.headers.get("content-encoding")).toBeNull();
    expect((await bundle.text()).length).toBe((await plain.text()).length);
  });
});
