// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
export const upgradeMessages = {
} as const satisfies Record<string, { zh: string; en: string }>;
