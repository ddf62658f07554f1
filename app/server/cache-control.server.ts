// What a cache (the browser's, a proxy's) may keep: nothing that was answered to a session.
import { SESSION_COOKIE } from "./session.server";

const sessionCookieIn = (header: string | null) =>
  !!header && header.split(/;\s*/).some((pair) => pair.startsWith(`${SESSION_COOKIE}=`));

/**
 * `no-store` on a page or data response given to a session, or one that sets or clears it: a
 * shared proxy must not hand it to someone else, and Back after logout must not show it from the
 * browser's cache (docs/decisions/023-redirects-exports-masking-caching.md). `Vary: Cookie` comes
 * with every page and data response from `varyOnLanguage` (locale.server.ts).
 */
export function keepOutOfCaches(request: Request, headers: Headers) {
  const sessionSet = headers.getSetCookie().some((c) => c.startsWith(`${SESSION_COOKIE}=`));
  if (!sessionSet && !sessionCookieIn(request.headers.get("Cookie"))) return;
  headers.set("Cache-Control", "no-store");
}
