// UI strings: Chinese first, English switch; the catalogs are app/locales/<locale>.ts (ADR 032).
// Config text (categories, forms) comes from config.
import { useRouteLoaderData } from "@remix-run/react";
import type { Locale } from "#engine/i18n";
import { translate, type MessageKey, type ParamsArg } from "./locales/index";

export { formatMessage, isMessageKey, translate, type MessageKey } from "./locales/index";

export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale ?? "zh-CN";
}

export function useT() {
  const locale = useLocale();
  return <K extends MessageKey>(key: K, ...params: ParamsArg<K>) => translate(locale, key, ...params);
}
