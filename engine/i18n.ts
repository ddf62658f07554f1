export type Locale = "zh-CN" | "en";
export type Bilingual = { zh: string; en: string };
export type Text = { zh: string; en?: string };

export function pickText(text: Text | undefined, locale: Locale): string {
  if (!text) return "";
  return locale === "en" ? (text.en ?? text.zh) : text.zh;
}

export function pickMessage(message: Bilingual, locale: Locale): string {
  return locale === "en" ? message.en : message.zh;
}
