// Request guards that apply to every route, before Remix sees the request.
import { hostname, networkInterfaces } from "node:os";
import type { NextFunction, Request, Response } from "express";
import { env } from "./env.server";

export function securityHeaders(req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()");
  // COOKIE_SECURE=true says the site is served over HTTPS, even when a proxy hides that from us.
  if (env.cookieSecure || req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
}

const withoutPort = (host: string) => /^(\[[^\]]*\]|[^:]*)(?::\d+)?$/.exec(host)?.[1];

/**
 * The Host values this install answers to: ALLOWED_HOSTS (an entry without a port allows any
 * port), else the listen address and its loopback names on the listen port (every interface's
 * addresses and the machine name when listening on all of them).
 */
export function allowedHosts(configured: string[] | undefined, listenHost: string, port: number): ReadonlySet<string> {
  if (configured) return new Set(configured.map((h) => h.toLowerCase()));
  const names = new Set(["localhost", "127.0.0.1", "[::1]", listenHost.includes(":") ? `[${listenHost}]` : listenHost]);
  if (["0.0.0.0", "::", ""].includes(listenHost)) {
    names.add(hostname());
    for (const address of Object.values(networkInterfaces()).flat()) {
      if (address) names.add(address.family === "IPv6" ? `[${address.address}]` : address.address);
    }
  }
  return new Set([...names].map((n) => `${n.toLowerCase()}:${port}`));
}

/**
 * Refuses a request whose Host this install does not serve, so a page on a DNS-rebinding name
 * cannot drive a local install through the victim's browser (docs/decisions/010-web-security.md).
 */
export function knownHosts(allowed: () => ReadonlySet<string>) {
  return (req: Request, res: Response, next: NextFunction) => {
    const host = (req.headers.host ?? "").toLowerCase();
    const bare = withoutPort(host);
    const hosts = allowed();
    if (host && (hosts.has(host) || (bare !== undefined && hosts.has(bare)))) return next();
    res.status(421).type("text/plain; charset=utf-8").send("此地址不由本系统提供服务 / This host is not served here");
  };
}

function originHost(value: string | undefined): string | null {
  if (!value) return null;
  try {
    return new URL(value).host;
  } catch {
    return null;
  }
}

/**
 * CSRF protection for every state-changing request: browsers always send Origin (or at least
 * Referer) on POST; it must name this host. Together with SameSite=Lax cookies this refuses
 * cross-site form posts and replays from other pages (docs/decisions/010-web-security.md).
 */
export function sameOriginWrites(req: Request, res: Response, next: NextFunction) {
  if (req.method === "GET" || req.method === "HEAD" || req.method === "OPTIONS") return next();
  const from = originHost(req.get("origin")) ?? originHost(req.get("referer"));
  if (!from || from !== req.get("host")) {
    res.status(403).type("text/plain; charset=utf-8").send("跨站请求已被拒绝 / Cross-site request refused");
    return;
  }
  next();
}

// Any origin works: only whether the target keeps it matters. `.invalid` can never be a real host.
const HERE = "http://gridwork.invalid";
const UNSAFE = /[\u0000-\u001f\u007f\\]/;

function pathOnThisSite(to: string): string | null {
  if (!to.startsWith("/") || UNSAFE.test(to)) return null;
  try {
    const url = new URL(to, HERE);
    const path = url.pathname + url.search + url.hash;
    return url.origin === HERE && !path.startsWith("//") ? path : null;
  } catch {
    return null;
  }
}

/**
 * A redirect target from a form or query, kept on this site. Decided the way a browser reads the
 * Location header: parsed against this origin, which it must keep (`//host`, `/\host`, `/.//host`
 * and a tab the parser drops all name another host); control characters and backslashes are
 * refused, also once percent-decoded (a proxy may decode again). Returns the parsed path,
 * percent-encoded; anything else gives `fallback`.
 */
export function localPath(to: unknown, fallback = "/t"): string {
  if (typeof to !== "string") return fallback;
  const decoded = to.replace(/%([0-9a-f]{2})/gi, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
  const path = pathOnThisSite(to);
  return path !== null && pathOnThisSite(decoded) !== null ? path : fallback;
}
