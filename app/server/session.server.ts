// Server-side sessions: the httpOnly cookie holds only a signed random id; the row holds the rest,
// so logout, the idle timeout and expiry are real (docs/decisions/004-sessions.md, 022).
import { randomBytes } from "node:crypto";
import { createCookie, redirect } from "@remix-run/node";
import { getPrisma } from "./db.server";
import { cached, changed, tableCache } from "./context-cache.server";
import { env } from "./env.server";
import { dummyPasswordHash, verifyPassword } from "./password.server";

export const SESSION_TTL_MS = 12 * 60 * 60 * 1000;
const idleMs = () => env.sessionIdleMinutes * 60 * 1000;
export const SESSION_COOKIE = "gw_session";

let cookie: ReturnType<typeof createCookie> | undefined;
function sessionCookie() {
  cookie ??= createCookie(SESSION_COOKIE, {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.cookieSecure,
    secrets: [env.sessionSecret],
  });
  return cookie;
}

async function sessionIdFrom(request: Request): Promise<string | null> {
  const value = await sessionCookie().parse(request.headers.get("Cookie"));
  return typeof value === "string" ? value : null;
}

/** Session rows by id, with their user; cleared when any session ends or any user changes. */
const sessions = tableCache<{ expiresAt: Date; lastSeenAt: Date; user: SessionUser & { mustChangePassword: boolean } }>(
  ["Session", "User"],
);

export type SessionUser = { id: string; login: string; displayName: string; active: boolean };

/** The logged-in user, and whether they still hold a one-time password. */
export async function getUser(request: Request): Promise<(SessionUser & { mustChangePassword: boolean }) | null> {
  const id = await sessionIdFrom(request);
  if (!id) return null;
  const db = getPrisma();
  const read = () =>
    db.session.findUnique({
      where: { id },
      select: {
        expiresAt: true,
        lastSeenAt: true,
        user: {
          select: { id: true, login: true, displayName: true, active: true, mustChangePassword: true },
        },
      },
    });
  let session = await cached(sessions, id, read);
  if (!session) return null;
  const now = Date.now();
  let idle = now - session.lastSeenAt.getTime();
  if (session.expiresAt.getTime() <= now || idle >= idleMs()) {
    // Another process may have seen this session more recently than our cached copy says.
    session = await read();
    idle = session ? now - session.lastSeenAt.getTime() : 0;
    if (!session || session.expiresAt.getTime() <= now || idle >= idleMs()) {
      await db.session.deleteMany({ where: { id } });
      changed("Session");
      return null;
    }
  }
  if (!session.user.active) return null;
  // Sliding idle timeout without a write on every request.
  if (idle > Math.min(60_000, idleMs() / 10)) {
    await db.session.updateMany({ where: { id }, data: { lastSeenAt: new Date(now) } });
    session.lastSeenAt = new Date(now);
  }
  return session.user;
}

const PASSWORD_PAGE = "/password";

const here = (request: Request) => {
  const url = new URL(request.url);
  return encodeURIComponent(url.pathname + url.search);
};

/**
 * The logged-in user, or a redirect to the login page. Someone still on a one-time password is
 * sent to choose their own before any page opens.
 */
export async function requireUser(request: Request): Promise<SessionUser> {
  const user = await getUser(request);
  if (!user) throw redirect(`/login?redirectTo=${here(request)}`);
  if (user.mustChangePassword) throw redirect(`${PASSWORD_PAGE}?redirectTo=${here(request)}`);
  const { mustChangePassword: _done, ...rest } = user;
  return rest;
}

export async function checkCredentials(login: string, password: string) {
  const user = await getPrisma().user.findUnique({
    where: { login },
    select: { id: true, passwordHash: true, active: true },
  });
  if (!user?.active) {
    await verifyPassword(password, await dummyPasswordHash());
    return null;
  }
  return (await verifyPassword(password, user.passwordHash)) ? user.id : null;
}

/**
 * A fresh session id on every login (no fixation); the old one, if any, is dropped. The cookie ends
 * with the browser unless `persistent` ("stay signed in"; by default the old session's choice).
 */
export async function startSession(request: Request, userId: string, persistent?: boolean): Promise<string> {
  const db = getPrisma();
  const oldId = await sessionIdFrom(request);
  const old = oldId ? await db.session.findUnique({ where: { id: oldId }, select: { persistent: true } }) : null;
  if (oldId) await db.session.deleteMany({ where: { id: oldId } });
  const keep = persistent ?? old?.persistent ?? false;
  const id = randomBytes(32).toString("base64url");
  await db.session.create({ data: { id, userId, persistent: keep, expiresAt: new Date(Date.now() + SESSION_TTL_MS) } });
  // A new id cannot be cached yet; only the one replaced can.
  if (oldId) changed("Session");
  return sessionCookie().serialize(id, keep ? { maxAge: SESSION_TTL_MS / 1000 } : {});
}

export async function endSession(request: Request): Promise<string> {
  const id = await sessionIdFrom(request);
  if (id) {
    await getPrisma().session.deleteMany({ where: { id } });
    changed("Session");
  }
  return sessionCookie().serialize("", { maxAge: 0 });
}

/** Ends every other session of the user (after a password change), keeping the current one. */
export async function endOtherSessions(request: Request, userId: string) {
  const current = await sessionIdFrom(request);
  await getPrisma().session.deleteMany({ where: { userId, ...(current ? { id: { not: current } } : {}) } });
  changed("Session");
}
