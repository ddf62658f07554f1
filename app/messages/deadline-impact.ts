// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
export const deadlineImpactMessages = {
  "impact.title": { zh: "对未结事件期限的影响", en: "Effect on open cases' due dates" },
  "impact.count": {
    zh: "{cases} 件未结事件的 {deadlines} 个期限将改变（有期限在计时的事件共 {timed} 件）",
    en: "{deadlines} deadline(s) of {cases} open case(s) change ({timed} cases have deadlines running)",
  },
  "impact.none": { zh: "没有未结事件的期限因此改变（有期限在计时的事件共 {timed} 件）", en: "No open case changes ({timed} cases have deadlines running)" },
  "impact.retimeNote": {
    zh: "发布后，这些期限按新日历重新计算，督办提醒按新期限进行；已发出的提醒和督办单不会重发，已超期的期限不变。",
    en: "On publishing, these deadlines are re-timed on the new calendar and supervision follows the new dates; reminders and sheets already sent are not sent again, and overdue deadlines stay as they are.",
  },
  "impact.policiesNote": {
    zh: "时限规则的修改只适用于发布后上报的事件；已上报的事件仍按上报时的规则计时。",
    en: "Changed deadline rules apply to cases reported after publishing; cases already reported keep the rules they were reported under.",
  },
  "impact.tableTitle": { zh: "发布后期限将改变的事件", en: "Cases whose due dates change on publishing" },
  "impact.seeTable": { zh: "见下方列表", en: "See the list below" },
  "impact.case": { zh: "事件编号", en: "Case" },
  "impact.caseTitle": { zh: "标题", en: "Title" },
  "impact.deadline": { zh: "期限", en: "Deadline" },
  "impact.currentDue": { zh: "当前期限", en: "Current due" },
  "impact.newDue": { zh: "新期限", en: "New due" },
  "impact.shift": { zh: "变化", en: "Shift" },
  "impact.laterOne": { zh: "+1 个工作日", en: "later by 1 working day" },
  "impact.later": { zh: "+{n} 个工作日", en: "later by {n} working days" },
  "impact.earlierOne": { zh: "−1 个工作日", en: "earlier by 1 working day" },
  "impact.earlier": { zh: "−{n} 个工作日", en: "earlier by {n} working days" },
  "impact.sameDay": { zh: "同一天", en: "same day" },
  "impact.hidden": { zh: "（无权查看）", en: "(not visible to you)" },
  "impact.paused": { zh: "（已暂停）", en: "(paused)" },
  // Follows "第 n 版已发布" / "Version n published" in the same notice.
  "impact.retimedNotice": { zh: "；{n} 件未结事件的期限已按新日历重新计算", en: "; due dates of {n} open case(s) were re-timed on the new calendar" },
  "audit.case.deadlines-retimed": { zh: "按新工作日历调整期限", en: "Deadlines re-timed to a new working-day calendar" },
} as const satisfies Record<string, { zh: string; en: string }>;
