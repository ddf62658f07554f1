// Assignment and visibility agree: a transition that can send a case to a unit warns when nobody
// who may sit in that unit has a rule to read the case (a village station or another platform
// would get work it cannot see). Asked of the same CASL rules the server builds, for a case
// reported elsewhere by someone else, so only the assignment itself can make it readable.
import { actionOf, isActionName } from "#engine/actions";
import type { AssignTarget } from "#engine/actions/kit";
import { pointer, type Issue, issue } from "#engine/issues";
import { OrgTree } from "#engine/org";
import { buildAbility, caseSubject, rulesFor, type AppAbility } from "#engine/permissions";
import type { Text } from "#engine/i18n";
import type { TownshipConfig } from "#schemas/township-config";
import type { Category } from "./compile";

/** Ids no unit or user has: the case comes from elsewhere. */
const ELSEWHERE = "\u0000elsewhere";
const SOMEONE = "\u0000someone";
/** Names listed in a message; the rest are counted. */
const LISTED = 5;

type Post = NonNullable<TownshipConfig["posts"]>[number];
type Unit = NonNullable<NonNullable<TownshipConfig["org"]>["units"]>[number];

/** Whether a post may be held in the unit: its own unit, else units of its kinds, else any. */
const sitsIn = (post: Post, unit: Unit) =>
  post.unit ? post.unit === unit.id : post.unitKinds?.length ? post.unitKinds.includes(unit.kind) : true;

function listed(names: readonly string[], zh: boolean): string {
  const shown = names.slice(0, LISTED).join(zh ? "、" : ", ");
  const more = names.length - LISTED;
  if (more <= 0) return shown;
  return zh ? `${shown}等 ${names.length} 个` : `${shown} and ${more} more`;
}

export function assignmentIssues(config: TownshipConfig): Issue[] {
  const units = new Map((config.org?.units ?? []).map((u) => [u.id, u]));
  const posts = config.posts ?? [];
  const categories = config.categories ?? [];
  const source = { config, org: new OrgTree([...units.values()]) };
  const abilities = new Map<string, AppAbility>();
  const abilityOf = (unit: string, post: string) => {
    const key = `${unit}\u0000${post}`;
    let ability = abilities.get(key);
    if (!ability) {
      ability = buildAbility(rulesFor(source, { userId: SOMEONE, tenantId: SOMEONE, unitId: unit, posts: [post] }));
      abilities.set(key, ability);
    }
    return ability;
  };
  /** Whether someone who may sit in the unit can read a case of the category assigned to it as `as`; null when no post sits there. */
  const readable = (unit: Unit, as: AssignTarget["as"], category: Category): boolean | null => {
    const here = posts.filter((p) => sitsIn(p, unit));
    if (!here.length) return null;
    const subject = caseSubject({
      tenantId: SOMEONE,
      orgUnitId: ELSEWHERE,
      platformId: category.platform,
      categoryId: category.id,
      reporterId: ELSEWHERE,
      leadUnitId: as === "lead" ? unit.id : ELSEWHERE,
      assistUnitIds: as === "assist" ? [unit.id] : [],
    });
    return here.some((p) => abilityOf(unit.id, p.id).can("read", subject));
  };

  const out: Issue[] = [];
  for (const [workflowId, workflow] of Object.entries(config.workflows ?? {})) {
    const inWorkflow = categories.filter((c) => c.workflow === workflowId);
    if (!inWorkflow.length) continue;
    (workflow.transitions ?? []).forEach((t, i) => {
      const form = t.form ? config.forms?.[t.form] : undefined;
      t.effects?.forEach((e, k) => {
        if (!isActionName(e.type)) return;
        const assigns = actionOf(e.type).assigns;
        if (!assigns) return;
        const targets = assigns((e.params ?? {}) as never, { config, form, categories: inWorkflow });
        // Unit → the categories whose cases it could not read when they are sent to it.
        const blind = new Map<string, Set<string>>();
        for (const target of targets) {
          const unit = units.get(target.unit);
          if (!unit) continue;
          for (const id of target.categories) {
            const category = inWorkflow.find((c) => c.id === id);
            if (!category || readable(unit, target.as, category) !== false) continue;
            blind.set(unit.id, (blind.get(unit.id) ?? new Set()).add(id));
          }
        }
        if (blind.size)
          out.push(blindIssue(config, ["workflows", workflowId, "transitions", i, "effects", k], t, blind));
      });
    });
  }
  return out;
}

function blindIssue(
  config: TownshipConfig,
  path: Array<string | number>,
  transition: { name: Text },
  blind: ReadonlyMap<string, ReadonlySet<string>>,
): Issue {
  const units = new Map((config.org?.units ?? []).map((u) => [u.id, u.name]));
  const categories = new Map((config.categories ?? []).map((c) => [c.id, c.name]));
  const all = new Set([...blind.values()].flatMap((s) => [...s]));
  const say = (locale: "zh" | "en") => {
    const name = (t: Text | undefined, id: string) => (locale === "en" ? (t?.en ?? t?.zh) : t?.zh) ?? id;
    const cats = (ids: Iterable<string>) =>
      [...ids].map((id) => name(categories.get(id), id)).join(locale === "zh" ? "、" : ", ");
    // A unit blind to only some of the categories says which.
    const entries = [...blind].map(([id, cs]) =>
      cs.size === all.size
        ? name(units.get(id), id)
        : locale === "zh"
          ? `${name(units.get(id), id)}（${cats(cs)}）`
          : `${name(units.get(id), id)} (${cats(cs)})`,
    );
    return { units: listed(entries, locale === "zh"), categories: cats(all), transition: name(transition.name, "") };
  };
  const zh = say("zh");
  const en = say("en");
  return issue(
    pointer(...path),
    "permissions.assignee-cannot-read",
    `“${zh.transition}”可将“${zh.categories}”类事件交给${zh.units}，但这些单位的岗位没有规则查看交给它们的事件：请为其岗位添加 read / Case 规则（如 "scope": "assigned"）`,
    `"${en.transition}" can send cases (${en.categories}) to ${en.units}, but no post there has a rule to read the cases sent to it: add a read / Case rule for their posts (e.g. "scope": "assigned")`,
  );
}
