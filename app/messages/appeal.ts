// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
export const appealMessages = {
} as const satisfies Record<string, { zh: string; en: string }>;
