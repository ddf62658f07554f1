// One-time passwords (invitation, onboarding) open nothing but the password page until the person
// chooses their own; the choice is checked, the one-time password stops working, and other
// sessions of that person end.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteMember } from "#app/server/members.server";
import { verifyPassword } from "#app/server/password.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let app: AppProcess;
let oneTime = "";
beforeAll(async () => {
  s = await seededDatabase();
  app = await startAppOn(s.database);
  const admin = (await s.contextOf("east.admin", "east-lake"))!;
  const invited = await inviteMember(
    s.db,
    admin,
    "east.newcomer",
    "新同事",
    {
      posts: ["grid-worker"],
      backupPosts: [],
      unitId: "grid-qiaotou-2",
    },
    new Date(),
  );
  if (!invited.ok || !invited.oneTimePassword) throw new Error("invite failed");
  oneTime = invited.oneTimePassword;
});
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

const change = (http: HttpSession, current: string, next: string, confirm = next) =>
  http.post("/password", { current, next, confirm, redirectTo: "/t/east-lake" });

describe("first login with a one-time password", () => {
  it("sends every page to the password page, then lets the person in with their own password only", async () => {
    const phone = new HttpSession(app.url);
    await phone.login("east.newcomer", oneTime);
    const desk = new HttpSession(app.url);
    await desk.login("east.newcomer", oneTime);

    for (const path of ["/t", "/t/east-lake", "/t/east-lake/report", "/inbox"]) {
      const res = await phone.request(path);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("Location"), path).toBe(`/password?redirectTo=${encodeURIComponent(path)}`);
    }
    // Writes too: nothing can be reported before the password is changed.
    const report = await phone.post("/t/east-lake/report", {
      payload: JSON.stringify({ categoryId: "dispute", data: { summary: "不应受理" } }),
    });
    expect(report.status).toBe(302);
    expect(await s.db.case.count({ where: { title: "不应受理" } })).toBe(0);

    const page = await phone.request("/password?redirectTo=%2Ft%2Feast-lake");
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("您正在使用一次性密码");

    const wrong = await change(phone, "not-it", "桥头村2026年春耕时节");
    expect(wrong.status).toBe(400);
    expect(await wrong.text()).toContain("当前密码不正确");
    const weak = await change(phone, oneTime, "1234567890", "1234567891");
    expect(weak.status).toBe(400);
    const text = await weak.text();
    expect(text).toContain("新密码不能全为数字或同一个字符");
    expect(text).toContain("两次输入的新密码不一致");

    const done = await change(phone, oneTime, "桥头村2026年春耕时节");
    expect(done.status).toBe(302);
    expect(done.headers.get("Location")).toBe("/t/east-lake?passwordChanged=1");
    expect((await phone.request("/t/east-lake")).status).toBe(200);

    // The other device is logged out; the one-time password no longer works; the new one does.
    expect((await desk.request("/t/east-lake")).headers.get("Location")).toMatch(/^\/login/);
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "east.newcomer" } });
    expect(await verifyPassword(oneTime, user.passwordHash)).toBe(false);
    expect(await verifyPassword("桥头村2026年春耕时节", user.passwordHash)).toBe(true);
    await expect(new HttpSession(app.url).login("east.newcomer", oneTime)).rejects.toThrow(/401/);
    expect(user.mustChangePassword).toBe(false);
  });

  it("leaves people with their own password alone, and lets them change it when they wish", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.grid3");
    expect((await http.request("/t/east-lake")).status).toBe(200);
    const page = await http.request("/password");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("您正在使用一次性密码");
    const offsite = await http.post("/password", {
      current: "gridwork-demo",
      next: "山下村网格巡查2026",
      confirm: "山下村网格巡查2026",
      redirectTo: "//evil.example",
    });
    expect(offsite.headers.get("Location")).toBe("/t?passwordChanged=1");
  });

  it("a township admin resets a forgotten password from the people page; the person must replace it at login", async () => {
    const grid = new HttpSession(app.url);
    await grid.login("east.grid1");
    const admin = new HttpSession(app.url);
    await admin.login("east.admin");
    const members = await s.db.membership.findFirstOrThrow({
      where: { user: { login: "east.grid1" }, tenant: { code: "east-lake" } },
    });
    const res = await admin.post("/t/east-lake/members?_data=routes%2Ft.%24tenant.members", {
      intent: "reset-password",
      membershipId: members.id,
    });
    expect(res.status).toBe(200);
    const reset = ((await res.json()) as { reset: { login: string; password: string } }).reset;
    expect(reset.login).toBe("east.grid1");
    // The old session is gone; the new one-time password leads to the password page only.
    expect((await grid.request("/t/east-lake")).headers.get("Location")).toMatch(/^\/login/);
    const again = new HttpSession(app.url);
    await again.login("east.grid1", reset.password);
    expect((await again.request("/t/east-lake")).headers.get("Location")).toBe("/password?redirectTo=%2Ft%2Feast-lake");
    // A grid worker cannot reset anyone's password.
    const forged = await again.post("/t/east-lake/members", { intent: "reset-password", membershipId: members.id });
    expect(forged.status).toBe(302);
  });

  it("the county admin resets someone who works in two of its townships, but no one outside the county, and not themself", async () => {
    const county = new HttpSession(app.url);
    await county.login("county.admin");
    const reset = (login: string) =>
      county.post("/c/demo-county/password-reset?_data=routes%2Fc.%24county.password-reset", { login });

    const ok = await reset("both.analyst");
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { ok: true; login: string; oneTimePassword: string };
    expect(body.login).toBe("both.analyst");
    const analyst = new HttpSession(app.url);
    await analyst.login("both.analyst", body.oneTimePassword);
    expect((await analyst.request("/t/west-hill")).headers.get("Location")).toBe(
      "/password?redirectTo=%2Ft%2Fwest-hill",
    );
    const countyId = (await s.db.tenant.findUniqueOrThrow({ where: { code: "demo-county" } })).id;
    expect(
      (await s.db.auditEvent.findFirstOrThrow({ where: { tenantId: countyId, type: "member.password-reset" } })).data,
    ).toEqual({ login: "both.analyst" });

    const outside = await reset("std.editor");
    expect(outside.status).toBe(422);
    expect(JSON.stringify(await outside.json())).toContain("reset.outside-county");
    expect((await reset("county.admin")).status).toBe(422);
    expect((await reset("nobody.here")).status).toBe(422);

    // Township admins and grid workers cannot use the county's page.
    const admin = new HttpSession(app.url);
    await admin.login("east.admin");
    expect((await admin.post("/c/demo-county/password-reset", { login: "both.analyst" })).status).toBe(404);
  });

  it("needs a login to reach the page", async () => {
    const res = await new HttpSession(app.url).request("/password");
    expect(res.status).toBe(302);
    expect(res.headers.get("Location")).toBe("/login?redirectTo=%2Fpassword");
  });
});
