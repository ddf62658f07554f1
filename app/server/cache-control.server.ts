// What a cache (the browser's, a proxy's) may keep: nothing that was answered to a session.
import { SESSION_COOKIE } from "./session.server.ts";

const sessionCookieIn = (header: string | null) => !!header && header.split(/;\s*/).some((pair) => pair.startsWith(`${SESSION_COOKIE}=`));

/**
 * `no-store` and `Vary: Cookie` on a page or data response given to a session, or one that sets or
 * clears it: a shared proxy must not hand it to someone else, and Back after logout must not show
 * it from the browser's cache (docs/decisions/023-redirects-exports-masking-caching.md).
 */
export function keepOutOfCaches(request: Request, headers: Headers) {
  const sessionSet = headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!sessionSet && !sessionCookieIn(request.headers.get("Cookie"))) return;
  headers.set("Cache-Control", "no-store");
  const vary = headers.get("Vary");
  if (!vary || !/(^|,)\s*cookie\s*(,|$)/i.test(vary)) headers.set("Vary", vary ? `${vary}, Cookie` : "Cookie");
}
