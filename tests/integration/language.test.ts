// Which language a page comes in (ADR 032): the browser's Accept-Language until the person picks
// one with the switch (/lang), whose cookie then wins; Chinese when neither says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpSession, startAppOnFreshDatabase, type FreshApp } from "#tests/setup/app-process";

let app: FreshApp;
beforeAll(async () => {
  app = await startAppOnFreshDatabase();
});
afterAll(() => app?.stop());

const page = async (http: HttpSession, pathname: string, acceptLanguage?: string) => {
  const res = await http.request(pathname, acceptLanguage ? { headers: { "Accept-Language": acceptLanguage } } : {});
  return { status: res.status, vary: res.headers.get("Vary") ?? "", body: await res.text() };
};

describe("first visit", () => {
  it.each([
    ["en", "en"],
    ["en-US,en;q=0.9", "en"],
    ["fr-FR, en-GB;q=0.8, zh-CN;q=0.5", "en"],
    ["zh-CN,zh;q=0.9,en;q=0.8", "zh-CN"],
    ["fr", "zh-CN"],
    ["", "zh-CN"],
  ])("Accept-Language %j gets the login page in %s", async (accept, locale) => {
    const { status, body } = await page(new HttpSession(app.url), "/login", accept);
    expect(status).toBe(200);
    expect(body).toContain(`<html lang="${locale}"`);
    if (locale === "en") {
      expect(body).toContain("Case platform for township command rooms");
      expect(body).not.toContain("乡镇综合信息指挥室事件协同平台");
    } else {
      expect(body).toContain("乡镇综合信息指挥室事件协同平台");
    }
  });

  it("tells caches that the page depends on Accept-Language and the cookie", async () => {
    const { vary } = await page(new HttpSession(app.url), "/login", "en");
    expect(vary).toMatch(/accept-language/i);
    expect(vary).toMatch(/cookie/i);
  });

  it("signs in and shows the township's screens in English without a language round trip", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.routing");
    const { body } = await page(http, "/t/east-lake", "en-GB,en;q=0.9");
    expect(body).toContain(`<html lang="en"`);
    expect(body).toContain("Report a case");
    expect(body).not.toContain("上报事件");
  });
});

describe("the language switch", () => {
  it("wins over Accept-Language once chosen, either way", async () => {
    const http = new HttpSession(app.url);
    expect((await http.post("/lang", { to: "zh-CN", back: "/login" })).status).toBe(302);
    let { body } = await page(http, "/login", "en");
    expect(body).toContain(`<html lang="zh-CN"`);
    expect(body).toContain("乡镇综合信息指挥室事件协同平台");

    await http.post("/lang", { to: "en", back: "/login" });
    ({ body } = await page(http, "/login", "zh-CN"));
    expect(body).toContain(`<html lang="en"`);
    expect(body).toContain("Case platform for township command rooms");
  });

  it("offers the other language from the detected one", async () => {
    const { body } = await page(new HttpSession(app.url), "/login", "en");
    expect(body).toMatch(/name="to" value="zh-CN"/);
  });
});
