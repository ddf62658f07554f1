// Login throttling, shared by every process through the database: at most 5 failures per login
// and 30 per client address in 15 minutes.
import type { Db } from "./db.server.ts";

const WINDOW_MS = 15 * 60 * 1000;
const LIMITS = { login: 5, ip: 30 } as const;

const keys = (login: string, ip: string) => ({ login: `login:${login.toLowerCase()}`, ip: `ip:${ip}` });

export async function loginBlocked(db: Db, login: string, ip: string, now = new Date()) {
  const k = keys(login, ip);
  const since = new Date(now.getTime() - WINDOW_MS);
  const [byLogin, byIp] = await Promise.all([
    db.loginAttempt.count({ where: { key: k.login, at: { gt: since } } }),
    db.loginAttempt.count({ where: { key: k.ip, at: { gt: since } } }),
  ]);
  return byLogin >= LIMITS.login || byIp >= LIMITS.ip;
}

export async function recordLoginFailure(db: Db, login: string, ip: string, now = new Date()) {
  const k = keys(login, ip);
  await db.loginAttempt.createMany({ data: [{ key: k.login, at: now }, { key: k.ip, at: now }] });
  await db.loginAttempt.deleteMany({ where: { at: { lt: new Date(now.getTime() - WINDOW_MS) } } });
}

export async function clearLoginFailures(db: Db, login: string) {
  await db.loginAttempt.deleteMany({ where: { key: keys(login, "").login } });
}
