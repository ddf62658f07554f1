// Password guessing against the login and the password page, as an attacker would try it: in
// parallel, from one address, under many names. The throttle counts before the password is checked,
// per login+address, so the person whose login is attacked still gets in from their own desk.
// Clients are told apart by X-Forwarded-For (the app runs with TRUST_PROXY=loopback).
import { randomBytes } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "#app/server/db.server";
import { THROTTLE } from "#app/server/rate-limit.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { createTestDatabase, REDIS_URL, redisAvailable, requireInCI, type TestDatabase } from "#tests/setup/services";

const hasRedis = requireInCI("Redis on " + REDIS_URL, await redisAvailable());
const stores = [
  { store: "PostgreSQL", redisUrl: undefined },
  ...(hasRedis ? [{ store: "Redis", redisUrl: REDIS_URL }] : []),
];

const WRONG_LOGIN = "账号或密码错误";
const TOO_MANY = "尝试次数过多";

describe.each(stores)("the password throttle on $store", ({ redisUrl }) => {
  let database: TestDatabase;
  let db: Db;
  let app: AppProcess;
  const prefix = `gw-test-${randomBytes(4).toString("hex")}`;
  beforeAll(async () => {
    database = await createTestDatabase();
    db = createPrisma(database.url, database.kind === "pglite");
    app = await startAppOn(database, {
      REDIS_URL: redisUrl,
      GRIDWORK_QUEUE_PREFIX: prefix,
      TRUST_PROXY: "loopback",
    });
  });
  afterAll(async () => {
    await app?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  const post = async (address: string, path: string, form: Record<string, string>, http = new HttpSession(app.url)) => {
    const res = await http.request(path, {
      method: "POST",
      headers: { "X-Forwarded-For": address },
      body: new URLSearchParams(form),
    });
    return { status: res.status, retryAfter: Number(res.headers.get("Retry-After") ?? 0), body: await res.text() };
  };
  const login = (address: string, name: string, password: string, http?: HttpSession) =>
    post(address, "/login", { login: name, password, redirectTo: "/t" }, http);
  const inBatches = async <T>(count: number, size: number, one: (i: number) => Promise<T>) => {
    const all: T[] = [];
    for (let i = 0; i < count; i += size)
      all.push(...(await Promise.all(Array.from({ length: Math.min(size, count - i) }, (_, j) => one(i + j)))));
    return all;
  };

  it("checks at most 5 of 60 parallel wrong passwords for one login; the right one from another address still gets in", async () => {
    const attacker = "203.0.113.7";
    const answers = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login(attacker, "east.director", `guess-${i}`)),
    );
    const checked = answers.filter((a) => a.status === 401);
    const refused = answers.filter((a) => a.status === 429);
    expect(checked.length).toBeGreaterThan(0);
    expect(checked.length).toBeLessThanOrEqual(THROTTLE.failuresPerLoginAddress);
    expect(refused.length).toBe(60 - checked.length);
    expect(checked[0]!.body).toContain(WRONG_LOGIN);
    expect(refused[0]!.body).toContain(TOO_MANY);

    // From the attacker's address even the right password waits; the director's own desk is not locked.
    const same = await login(attacker, "east.director", "gridwork-demo");
    expect(same.status).toBe(429);
    expect(same.retryAfter).toBeGreaterThan(0);
    expect((await login("198.51.100.20", "east.director", "gridwork-demo")).status).toBe(302);
  });

  it("lets someone in with the right password from an address where others failed under many names", async () => {
    const office = "192.0.2.50";
    const failures = await inBatches(30, 10, (i) => login(office, `nobody.${i}`, "wrong-password"));
    expect(failures.map((f) => f.status)).toEqual(failures.map(() => 401));
    expect((await login(office, "east.grid3", "gridwork-demo")).status).toBe(302);
  });

  it("stops an address that keeps failing at the much higher address limit", async () => {
    const sprayer = "192.0.2.99";
    const failures = await inBatches(THROTTLE.failuresPerAddressHour, 10, (i) =>
      login(sprayer, `spray.${i}`, "wrong-password"),
    );
    expect(failures.every((f) => f.status === 401)).toBe(true);
    const next = await login(sprayer, "east.safety", "gridwork-demo");
    expect(next.status).toBe(429);
    expect(next.body).toContain(TOO_MANY);
    expect((await login("192.0.2.100", "east.safety", "gridwork-demo")).status).toBe(302);
  });

  it("throttles the current password on /password the same way, and answers every wrong one alike", async () => {
    const desk = "198.51.100.31";
    const http = new HttpSession(app.url);
    expect((await login(desk, "east.grid1", "gridwork-demo", http)).status).toBe(302);
    const change = (current: string, next: string) =>
      post(desk, "/password", { current, next, confirm: next, redirectTo: "/t" }, http);

    // A wrong current password says only that, whatever the new one looks like.
    const short = await change("not-my-password", "short");
    expect(short.status).toBe(400);
    expect(short.body).toContain("当前密码不正确");
    expect(short.body).not.toContain("新密码至少需要 10 个字符");

    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, i) => change(`guess-${i}`, "桥头村网格巡查新密码")),
    );
    const checked = 1 + answers.filter((a) => a.status === 400).length;
    expect(checked).toBeLessThanOrEqual(THROTTLE.failuresPerLoginAddress);
    expect(answers.filter((a) => a.status === 429).length).toBe(40 - (checked - 1));
    for (const a of answers.filter((x) => x.status === 400)) expect(a.body).toContain("当前密码不正确");
    expect(answers.find((a) => a.status === 429)!.body).toContain(TOO_MANY);

    // The right current password now waits too, and so does the login from this address; the
    // password is unchanged and works from elsewhere.
    expect((await change("gridwork-demo", "桥头村网格巡查新密码")).status).toBe(429);
    expect((await login(desk, "east.grid1", "gridwork-demo")).status).toBe(429);
    expect((await login("198.51.100.32", "east.grid1", "gridwork-demo")).status).toBe(302);
  });

  it("doubles the delay at each lockout of the same login and address", async () => {
    const attacker = "203.0.113.8";
    const lockOut = async () => {
      for (let i = 0; i < THROTTLE.failuresPerLoginAddress; i++)
        expect((await login(attacker, "east.village", `guess-${i}`)).status).toBe(401);
      const locked = await login(attacker, "east.village", "gridwork-demo");
      expect(locked.status).toBe(429);
      return locked.retryAfter;
    };
    const first = await lockOut();
    // Let the first delay pass without waiting for it: its counter goes, the count of lockouts stays.
    const counters = `${prefix}:pw-login-address:`;
    if (redisUrl) {
      const redis = new Redis(redisUrl);
      const keys = await redis.keys(`${counters}*`);
      if (keys.length) await redis.del(...keys);
      redis.disconnect();
    } else {
      await db.$executeRaw`DELETE FROM "RateLimit" WHERE key LIKE ${`${counters}%`}`;
    }
    const second = await lockOut();
    expect(second).toBeGreaterThan(first * 1.5);
  });
});
