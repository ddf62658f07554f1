// The fixture every browser test shares: a fresh database, the app started on it as `npm start`
// does, a direct Prisma client to arrange data through the server paths, and headless Chromium.
// Call `useE2EApp()` inside a `describe.runIf(hasBrowser)` block; it registers the hooks.
import { mkdirSync } from "node:fs";
import type { Browser, BrowserContextOptions, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { createPrisma, type Db } from "#app/server/db.server";
import { runOutboxJob } from "#app/server/jobs.server";
import type { TenantContext } from "#app/server/tenancy.server";
import { HttpSession, startAppOn, type AppProcess } from "./app-process";
import { ARTIFACTS, launchBrowser } from "./browser";
import { fireAs, memberContext } from "./drive-cases";
import { chromiumAvailable, createTestDatabase, requireInCI, type TestDatabase } from "./services";

export { ARTIFACTS };
export const hasBrowser = requireInCI("Chromium at /usr/bin/chromium", chromiumAvailable());
export const DEMO_PASSWORD = "gridwork-demo";

export type E2EApp = {
  readonly app: AppProcess;
  readonly db: Db;
  readonly browser: Browser;
  readonly database: TestDatabase;
  /** A fresh browser context (its own cookies) logged in as `login` through the login form. */
  loginAs(login: string, options?: BrowserContextOptions & { password?: string }): Promise<Page>;
  /** The member's context in the township (East Lake by default), to drive cases through the server paths. */
  context(login: string, township?: string): Promise<TenantContext>;
  /** `login` fires `transitionId` on the case as it stands; a refusal fails the test. */
  fire(caseId: string, login: string, transitionId: string, input?: unknown, now?: Date): Promise<void>;
  /** Runs the pending outbox jobs and waits until every score job is done. */
  scoreJobs(): Promise<void>;
  /** A case `login` reports in East Lake through the app's HTTP form (a dispute); returns its URL. */
  reportOverHttp(login: string, data: Record<string, unknown>): Promise<string>;
};

/** `expect.poll` with the patience a browser under load needs. */
export const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 });

export function useE2EApp(env: Record<string, string | undefined> = {}): E2EApp {
  let database: TestDatabase | undefined;
  let app: AppProcess | undefined;
  let db: Db | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppOn(database, env);
    db = createPrisma(database.url, database.kind === "pglite");
    browser = await launchBrowser();
    mkdirSync(ARTIFACTS, { recursive: true });
  });
  afterAll(async () => {
    await browser?.close();
    await db?.$disconnect();
    await app?.stop();
    await database?.drop();
  });

  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`e2e fixture: ${name} is not ready (use it inside a test)`);
    return value;
  };
  const fixture: E2EApp = {
    get app() {
      return ready(app, "app");
    },
    get db() {
      return ready(db, "db");
    },
    get browser() {
      return ready(browser, "browser");
    },
    get database() {
      return ready(database, "database");
    },
    async loginAs(login, options = {}) {
      const { password = DEMO_PASSWORD, ...contextOptions } = options;
      const context = await fixture.browser.newContext(contextOptions);
      const page = await context.newPage();
      await page.goto(fixture.app.url + "/login");
      await page.getByLabel("账号").fill(login);
      await page.getByLabel("密码").fill(password);
      await page.getByRole("button", { name: "登录" }).click();
      await page.waitForURL((url) => !url.pathname.startsWith("/login"));
      return page;
    },
    context: (login, township) => memberContext(fixture.db, login, township),
    async fire(caseId, login, transitionId, input, now = new Date()) {
      await fireAs(fixture.db, await fixture.context(login), caseId, transitionId, input, now);
    },
    async scoreJobs() {
      // The app's own runner may take some jobs; running them here too is harmless (SKIP LOCKED, idempotent).
      for (const job of await fixture.db.outboxJob.findMany({ where: { status: "pending" } }))
        await runOutboxJob(fixture.db, job.id).catch(() => undefined);
      await poll(() => fixture.db.outboxJob.count({ where: { kind: "score", status: { not: "done" } } })).toBe(0);
    },
    async reportOverHttp(login, data) {
      const session = new HttpSession(fixture.app.url);
      await session.login(login);
      return session.reportCase("east-lake", "dispute", data);
    },
  };
  return fixture;
}

/** On the page a one-time password leads to: choose one's own, and go on to where one was going. */
export async function chooseOwnPassword(page: Page, oneTime: string, next: string) {
  await page.waitForURL(/\/password\?/);
  await page.getByLabel("当前密码").fill(oneTime);
  await page.getByLabel("新密码", { exact: true }).fill(next);
  await page.getByLabel("再次输入新密码").fill(next);
  await page.getByRole("button", { name: "保存新密码" }).click();
  await page.waitForURL((url) => url.searchParams.has("passwordChanged"));
}
