// UI strings: Chinese first, English switch. Config text (categories, forms) comes from config.
import { useRouteLoaderData } from "@remix-run/react";
import type { Locale } from "../engine/i18n";

export const LOCALES: Locale[] = ["zh-CN", "en"];

const messages = {
  appName: { zh: "网格通 Gridwork", en: "Gridwork" },
  tagline: { zh: "乡镇综合信息指挥室事件协同平台", en: "Case platform for township command rooms" },
  login: { zh: "登录", en: "Log in" },
  logout: { zh: "退出", en: "Log out" },
  loginName: { zh: "账号", en: "Login" },
  password: { zh: "密码", en: "Password" },
  badCredentials: { zh: "账号或密码错误", en: "Wrong login or password" },
  missingCredentials: { zh: "请输入账号和密码", en: "Enter your login and password" },
  tooManyAttempts: { zh: "尝试次数过多，请稍后再试", en: "Too many attempts; try again later" },
  myTownships: { zh: "我的乡镇", en: "My townships" },
  noTownships: { zh: "您尚未加入任何乡镇", en: "You do not belong to any township yet" },
  posts: { zh: "岗位", en: "Posts" },
  unit: { zh: "所在单位", en: "Unit" },
  cases: { zh: "事件列表", en: "Cases" },
  reportCase: { zh: "上报事件", en: "Report a case" },
  category: { zh: "事件类别", en: "Category" },
  chooseCategory: { zh: "请选择事件类别", en: "Choose a category" },
  submit: { zh: "提交", en: "Submit" },
  fixErrors: { zh: "请修正标出的内容后再提交", en: "Please fix the marked fields and submit again" },
  number: { zh: "编号", en: "No." },
  title: { zh: "标题", en: "Title" },
  grade: { zh: "等级", en: "Grade" },
  status: { zh: "状态", en: "Status" },
  reporter: { zh: "上报人", en: "Reporter" },
  orgUnit: { zh: "所属单位", en: "Org unit" },
  platform: { zh: "责任平台", en: "Platform" },
  reportedAt: { zh: "上报时间", en: "Reported at" },
  noCases: { zh: "暂无事件", en: "No cases yet" },
  total: { zh: "共 {n} 件", en: "{n} in total" },
  details: { zh: "事件信息", en: "Case details" },
  auditTrail: { zh: "处置记录", en: "Audit trail" },
  configVersion: { zh: "配置版本", en: "Config version" },
  backToList: { zh: "返回列表", en: "Back to list" },
  reported: { zh: "事件已上报，编号 {n}", en: "Case reported, number {n}" },
  notFound: { zh: "找不到该页面，或您无权查看", en: "Not found, or you may not see it" },
  forbidden: { zh: "您无权执行此操作", en: "You may not do this" },
  error: { zh: "出错了", en: "Something went wrong" },
  language: { zh: "English", en: "中文" },
  notifications: { zh: "通知", en: "Notifications" },
  masked: { zh: "（已隐藏）", en: "(hidden)" },
  exportXlsx: { zh: "导出 Excel", en: "Export Excel" },
  exportCsv: { zh: "导出 CSV", en: "Export CSV" },
  auditLog: { zh: "审计日志", en: "Audit log" },
  chainOk: { zh: "审计链校验通过，共 {n} 条", en: "Audit chain verified: {n} entries" },
  chainBroken: { zh: "审计链在第 {n} 条处断开：{reason}", en: "Audit chain broken at entry {n}: {reason}" },
  actor: { zh: "操作人", en: "Actor" },
  event: { zh: "事件", en: "Event" },
  time: { zh: "时间", en: "Time" },
  whoCanSee: { zh: "谁能看到此事件", en: "Who can see this case" },
  member: { zh: "人员", en: "Member" },
  allowed: { zh: "可查看", en: "Can see" },
  denied: { zh: "不可查看", en: "Cannot see" },
  byRule: { zh: "依据规则", en: "By rule" },
  noRule: { zh: "无适用规则", en: "No rule applies" },
  scope: { zh: "范围", en: "Scope" },
  "audit.case.reported": { zh: "上报事件", en: "Case reported" },
  "audit.cases.exported": { zh: "导出事件列表", en: "Case list exported" },
} as const;

export type MessageKey = keyof typeof messages;

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number>): string {
  const entry = messages[key];
  let text: string = locale === "en" ? entry.en : entry.zh;
  for (const [k, v] of Object.entries(vars ?? {})) text = text.replace(`{${k}}`, String(v));
  return text;
}

export function isMessageKey(key: string): key is MessageKey {
  return key in messages;
}

export function useLocale(): Locale {
  const data = useRouteLoaderData("root") as { locale?: Locale } | undefined;
  return data?.locale ?? "zh-CN";
}

export function useT() {
  const locale = useLocale();
  return (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
}
