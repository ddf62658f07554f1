// Engine issues in Chinese: ICU MessageFormat, keyed by code; the values are listed in engine/issue-codes.ts.
import type { IssueCatalog } from "./catalog";

export const zhCN: IssueCatalog = {
  duration: "{amount} {unit, select, workingDays {个工作日} calendarDays {天} other {小时}}",

  internal: "校验出错：{message}",
  "duplicate-id": "{what, select, locality {乡镇“{id}”已有属地单位} level {等次重复：{id}} other {编号重复：{id}}}",
  "reference.missing":
    "{what, select, unitKind {没有“{ref}”这种单位类型} titleField {标题字段“{ref}”不在表单中} other {{what, select, unit {单位} post {岗位} state {状态} form {表单} formField {表单字段} grade {事件等级} category {事件类别} parentCategory {上级类别} platform {平台} calendar {日历} deadlinePolicy {时限规则} workflow {流程} transition {流程操作} other {{what}}}“{ref}”不存在}}",
  "time-zone.unknown": "未知的时区“{timeZone}”，请用 IANA 名称，如 Asia/Shanghai",
  "org.cycle": "组织层级出现循环：{id}",
  "org.tenant-not-locality": "只有属地单位（locality）可标明乡镇",
  "grade.analyst-missing": "需指定研判岗位",
  "grade.no-duty-rota": "由值班领导研判，但未配置值班轮值",
  "form.schema-invalid": "表单结构无效：{message}",
  "workflow.returns-to-misplaced": "只有县级配置的终态才能回传乡镇（returnsTo）",
  "workflow.dead-end": "状态“{stateId}”不是终态，却无法离开",
  "workflow.unreachable": "状态“{stateId}”无法到达",
  "deadline.ladder-order":
    "{ladder, select, overdue {督办阶梯须按超期时间由近到远排列} other {提醒须按离到期时间由远到近排列}}",
  "deadline.kind-unknown": "没有流程设定“{kind}”类时限",
  "deadline.repeat-not-last": "只有最后一级督办可以重复",
  "deadline.no-calendar": "按工作日计算的时限须指定日历（节假日与调休）",
  "deadline.fractional-days": "天数须为整数；不足一天请用小时",
  "deadline.main-unset":
    "主办理时限“{main}”没有流程设定（退回、督办单和约谈都依据它）：请把 mainDeadline 设为 {kinds} 之一",
  "deadline.no-policy": "设定时限需要时限规则：类别 {categories} 未配置 deadlinePolicy",
  "effect.retired-score":
    "“score”动作已停用：分数只由考评规则（scoring.rules）计算，请删除此动作并用规则表达（例如 on 该操作、条件 input-in）",
  "effect.unknown": "未知的动作类型“{type}”，可用：{known}",
  "effect.place": "“{type}”不能用于{place, select, transition {流程操作} ladder {超期督办阶梯} other {受理时}}",
  "effect.needs-form":
    "{use, select, assign {从表单指派需要为此操作配置表单} other {读取字段“{field}”需要为此操作配置表单}}",
  "effect.no-recipients": "通知须指定对象（to 或 posts）",
  "effect.intake-posts-only": "受理时的通知请用 posts 指定岗位",
  "effect.no-principal": "约谈需要主要领导：请指定 principal 或配置领导岗位",
  "actor.unknown": "未知的特殊角色“{entry}”，可用：{known}",
  "actor.not-notifiable": "“{entry}”不能作为通知对象",
  "guard.unknown": "未知的条件类型“{type}”，可用：{known}",
  "rota.not-leadership": "值班领导须由领导班子岗位担任",
  "rota.duplicate-date": "日期重复：{date}",
  "limit.depth": "内容嵌套过深：超过 {max} 层",
  "limit.bytes": "内容过大：{bytes}，上限 {maxBytes}",
  "limit.count":
    "{what, select, items {配置过大：此处有 {entries} 项，上限 {limit}} other {配置过大：{what, select, orgUnits {组织单位} posts {岗位} categories {事件类别} grades {事件等级} forms {表单} workflows {流程} states {流程状态} transitions {流转} permissions {权限规则} scoringRules {考评规则} other {{what}}} {entries} 个，上限 {limit}}}",

  "scoring.condition-unknown": "未知的条件类型“{type}”，可用：{known}",
  "scoring.condition-not-applicable":
    "条件“{type}”需要{needs, select, assignment {交办单位} actor {操作人} transition {流程操作} input {操作表单} overdueDays {超期天数} satisfaction {满意度} trigger {督办来源} other {申诉记录}}，而“{factName}”没有",
  "scoring.range-empty": "超期天数下限大于上限",
  "scoring.fact-unknown": "未知的考评事实“{on}”，可用：{known}",
  "scoring.no-localities": "只有县级配置可计给 source-township，且须有标明乡镇（tenant）的属地单位",
  "scoring.target-not-applicable":
    "{lacks, select, actor {“{factName}”没有操作人，不能计给 actor} other {“{factName}”发生时尚无交办单位，不能计给 {target}}}",
  "scoring.per-day-needs-days": "按天计分需要超期天数，而“{factName}”没有",
  "scoring.rating-catch-all": "最后一个等次不设下限，以包含其余所有分数",
  "scoring.rating-min-missing": "除最后一个等次外，每个等次都须设下限（min）",
  "scoring.rating-order": "等次须按分数从高到低排列",
  "scoring.deadline-kind-unused": "没有流程设定“{kind}”类时限",
  "scoring.scored-twice":
    "规则“{first}”与“{second}”对同一事实（{fact}）都计分给 {target}：一件事只计一次分。请合并为一条规则，或用互斥的条件（when）区分",

  "permissions.nobody-creates": "没有任何岗位可以上报事件：请为至少一个岗位添加 create / Case 规则",
  "permissions.nobody-manages-config":
    "没有任何岗位可以管理配置，发布后将无人能再修改：请为乡镇管理员岗位保留 manage / Config 规则",
  "permissions.nobody-reads-category": "没有任何岗位可以查看“{name}”类事件（上报人本人除外）：请添加 read / Case 规则",

  "release.not-a-template": "只能发布模板（kind 应为 template）",
  "release.version-not-newer": "版本号须高于已发布的最新版本 {newest}",
  "release.notes-required": "请填写更新说明：这一版改了什么、乡镇升级时要注意什么",

  "upgrade.not-an-object": "配置不是 JSON 对象",
  "upgrade.base-mismatch": "本配置继承“{base, select, none {（无）} other {{extends}}}”，而不是 {from}",
  "upgrade.not-a-template": "{ref} 不是模板",
  "upgrade.resolution-unused": "此路径没有需要决定的冲突：{path}",
  "upgrade.reference-removed": "{found}：本镇配置在此处引用了它，而 {to} 已不再提供",
  "upgrade.both-changed": "本镇修改了 {path}，新版模板也改了它，且改法不同",
  "upgrade.both-added": "本镇新增的 {path} 与新版模板新增的同名内容不同",
  "upgrade.removed-by-template": "新版模板删除了 {path}，而本镇配置修改了它",
  "upgrade.removed-by-township": "本镇删除了 {path}，而新版模板修改或新增了它",

  "migrate.state-unknown": "新版本没有状态“{state}”",
  "migrate.state-final": "“{name}”是终结状态：迁移不能结束事件，请另选一个状态",
  "migrate.state-unreachable": "新版本中没有任何操作能到达“{name}”，事件将无法正常流转；请另选一个状态",
  "migrate.state-unmapped":
    "{at, select, case {尚未选择“{name}”迁入的状态} other {新版本没有状态“{name}”（{cases} 件）：请选择这些事件迁入的状态}}",
  "migrate.policy-missing": "新版本中类别“{categoryId}”没有“{toKind}”时限规则",
  "migrate.version-missing": "找不到第 {configVersion} 版配置",
  "migrate.workflow-missing": "新版本没有流程“{workflowId}”",
  "migrate.category-missing": "新版本没有事件类别“{name}”",
  "migrate.grade-missing": "新版本没有事件等级“{name}”",
  "migrate.form-missing": "新版本没有此事件上报时所用的表单“{name}”",
  "migrate.unit-missing": "新版本没有此事件所属的“{name}”",
  "migrate.deadline-kind-gone": "新版本不再设“{kind}”时限，此时限停止",
  "migrate.deadline-paused": "时限已暂停，保留；恢复时按新版本的日历续算",
  "migrate.deadline-date-chosen": "办结期限是交办时指定的日期，保留",
  "migrate.deadline-overdue": "时限已超期，保留：督办单和扣分都以原到期时间为准",
  "migrate.deadline-same-policy": "新版本的时限规则未变，保留",
  "migrate.deadline-renamed": "主时限在新版本中改了名称，按新版本的 {to}自原起始时间重新计算",
  "migrate.deadline-changed": "新版本的时限由 {from}改为 {to}，自原起始时间重新计算",
  "migrate.deadline-steps-changed": "新版本的提醒或督办规则有变，自原起始时间重新计算",

  "designer.name-missing": "请填写表单名称（中文）",
  "designer.no-fields": "表单至少需要一个字段",
  "designer.key-invalid": "第 {n} 个字段的编号“{key}”无效：以字母开头，只用字母、数字和下划线",
  "designer.key-duplicate": "第 {n} 个字段的编号“{key}”与第 {first} 个重复",
  "designer.title-missing": "第 {n} 个字段缺少中文标题",
  "designer.no-options": "第 {n} 个字段（单项选择）至少需要一个选项",
  "designer.option-empty": "第 {n} 个字段的第 {k} 个选项为空",
  "designer.option-duplicate": "第 {n} 个字段的选项“{value}”重复",
  "designer.title-field-missing": "标题字段“{titleField}”不在表单中",

  "onboarding.template-missing": "找不到已发布的模板“{template}”",
  "onboarding.platform-unknown": "模板中没有平台“{id}”",
  "onboarding.platform-taken": "平台编号“{id}”已被使用",
  "onboarding.no-admin-post": "模板中没有可以管理配置的岗位，无法设立乡镇管理员",
  "onboarding.no-admin-unit": "找不到管理员所在的单位（指挥室）",
  "onboarding.unit-fixed": "岗位“{post}”设在“{fixed}”，不能在“{unit}”",
  "onboarding.unit-kind": "岗位“{post}”须在{kinds}类单位中，“{unit}”不是",
  "onboarding.login-duplicate": "账号“{login}”重复",
};
