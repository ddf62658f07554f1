// UI strings of the config editor's scoring, rating-level and workbench sections, merged into
// app/i18n.ts: { key: { zh, en } }, Chinese first.
export const configSectionMessages = {
  "sectionNote.scoring": {
    zh: "修改后的考评规则只用于发布之后发生的事项；已计入的分数不变，如需按新规则重算某一期间，请在考评页面“重新计算”。",
    en: "Changed rules score what happens after publishing; points already scored stay. To apply the new rules to a past period, recompute it on the scores page.",
  },
  "sectionNote.ratings": {
    zh: "等次从高到低排列：得分达到某等次的最低分即为该等次；最后一个等次不设最低分，包含其余所有分数。",
    en: "Levels go from best to worst: a score that reaches a level's lowest score gets that level; the last level has no lowest score and takes the rest.",
  },
  "sectionNote.views": {
    zh: "每位成员使用第一个列有其岗位的工作台；标签页只列出本人有权查看的事件。发布后立即生效。",
    en: "Each member gets the first workbench listing one of their posts; tabs list only cases the member may read. Takes effect when published.",
  },
} as const;
