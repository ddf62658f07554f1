import { createCookie } from "@remix-run/node";
import type { Locale } from "../../engine/i18n.ts";

export const localeCookie = createCookie("gw_lang", { path: "/", sameSite: "lax", httpOnly: true, maxAge: 365 * 24 * 3600 });

export async function getLocale(request: Request): Promise<Locale> {
  const value = await localeCookie.parse(request.headers.get("Cookie"));
  return value === "en" ? "en" : "zh-CN";
}
