// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
export const appealMessages = {
  myScoresNav: { zh: "我的考评", en: "My scores" },
  myScoresTitle: { zh: "我的考评 · {period}", en: "My scores · {period}" },
  myScoresNote: { zh: "这里列出记在您本人或您所在单位名下的考评记录；对扣分有异议可以申诉", en: "Score lines naming you or your unit; you may appeal a deduction you dispute" },
  appealColumn: { zh: "申诉", en: "Appeal" },
  appealLink: { zh: "申诉", en: "Appeal" },
  appealLinkLabel: { zh: "对“{rule}”{points} 分申诉", en: "Appeal “{rule}” ({points})" },
  appealCaseLabel: { zh: "申诉 {number}", en: "Appeal {number}" },
  appealTitle: { zh: "对扣分提出申诉", en: "Appeal a deduction" },
  appealDisputed: { zh: "申诉的扣分", en: "The disputed deduction" },
  appealBack: { zh: "返回考评排名", en: "Back to scores" },
  appealHelp: {
    zh: "申诉成立后，该扣分在决定当月以撤销记录冲回，原记录保留。",
    en: "If the appeal is upheld, a reversal line cancels the deduction in the month of the decision; the original line stays.",
  },
  appealAlready: { zh: "该扣分已有申诉：", en: "This deduction is already appealed: " },
  appealFiled: { zh: "申诉已提交，编号 {n}。审核结果将通知您。", en: "Appeal {n} filed. You will be told the decision." },
} as const satisfies Record<string, { zh: string; en: string }>;
