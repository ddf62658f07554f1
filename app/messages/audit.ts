// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
// Where an audit chain breaks (app/server/audit.server.ts); the audit:verify CLI prints the same.
export const auditMessages = {
  "chain.edited": { zh: "第 {n} 条记录被修改", en: "edited entry at seq {n}" },
  "chain.missing": { zh: "第 {n} 条之后的记录缺失", en: "entries missing after seq {n}" },
  "chain.missingCheckpoint": { zh: "第 {n} 条之后的记录缺失（检查点在第 {m} 条）", en: "entries missing after seq {n} (checkpoint at seq {m})" },
  "chain.checkpointMismatch": { zh: "审计链与第 {m} 条处的检查点不符", en: "chain does not match the checkpoint at seq {m}" },
  "chain.signatureInvalid": { zh: "第 {m} 条处的检查点签名无效", en: "checkpoint signature invalid (checkpoint at seq {m})" },
  "chain.anchored": { zh: "已由第 {m} 条处的签名检查点锚定", en: "anchored by the signed checkpoint at seq {m}" },
  "chain.notAnchored": { zh: "尚无签名检查点：无法发现末尾记录被删除", en: "no signed checkpoint yet: deleting the last entries would not show" },
  "chain.download": { zh: "下载审计检查点", en: "Download audit checkpoints" },
} as const;
