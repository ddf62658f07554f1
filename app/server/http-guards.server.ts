// Request guards that apply to every route, before Remix sees the request.
import type { NextFunction, Request, Response } from "express";

export function securityHeaders(_req: Request, res: Response, next: NextFunction) {
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("X-Frame-Options", "DENY");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
  res.setHeader("Permissions-Policy", "camera=(self), geolocation=(self), microphone=()");
  if (res.req.secure) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
  next();
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

/**
 * A redirect target from a form or query, kept on this site: a path, never `//host` or `/\host`
 * (browsers read both as another host), nor one with control characters (no valid Location header
 * holds them); anything else gives `fallback`.
 */
export function localPath(to: unknown, fallback = "/t"): string {
  return typeof to === "string" && to.startsWith("/") && to[1] !== "/" && to[1] !== "\\" && !/[\u0000-\u001f\u007f]/.test(to) ? to : fallback;
}
