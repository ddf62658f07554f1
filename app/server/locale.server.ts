import { createCookie } from "@remix-run/node";
import Negotiator from "negotiator";
import type { Locale } from "#engine/i18n";
import { LOCALES } from "#app/locales/index";

export const localeCookie = createCookie("gw_lang", {
  path: "/",
  sameSite: "lax",
  httpOnly: true,
  maxAge: 365 * 24 * 3600,
});

function isLocale(value: unknown): value is Locale {
  return (LOCALES as readonly unknown[]).includes(value);
}

/** The language chosen with /lang (cookie) wins; else the browser's Accept-Language; else Chinese. */
export async function getLocale(request: Request): Promise<Locale> {
  const chosen: unknown = await localeCookie.parse(request.headers.get("Cookie"));
  if (isLocale(chosen)) return chosen;
  const accept = request.headers.get("Accept-Language");
  if (!accept) return LOCALES[0];
  const best = new Negotiator({ headers: { "accept-language": accept } }).language([...LOCALES]);
  return isLocale(best) ? best : LOCALES[0];
}

/** Every page is in the language the request picks, so a cache must key it on both inputs. */
export function varyOnLanguage(headers: Headers) {
  const vary = headers.get("Vary");
  const have = (vary ?? "").split(",").map((v) => v.trim().toLowerCase());
  const add = ["Accept-Language", "Cookie"].filter((v) => !have.includes(v.toLowerCase()));
  if (add.length > 0) headers.set("Vary", [vary, ...add].filter(Boolean).join(", "));
}
