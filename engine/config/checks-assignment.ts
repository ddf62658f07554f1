// Assignment and visibility agree: a transition that can send a case to a unit warns when nobody
// who may sit in that unit has a rule to read the case (a village station or another platform
// would get work it cannot see). Asked of the same CASL rules the server builds, for a case
// reported elsewhere by someone else, so only the assignment itself can make it readable.
import { actionOf, isActionName } from "#engine/actions";
import type { AssignTarget } from "#engine/actions/kit";
import { pointer, type Issue, textIssue } from "#engine/issues";
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

/** The first names, and how many there are in all. */
function listed(names: readonly string[], total: number, zh: boolean): string {
  const shown = names.slice(0, LISTED).join(zh ? "、" : ", ");
  if (total <= LISTED) return shown;
  return zh ? `${shown}等 ${total} 个` : `${shown} and ${total - LISTED} more`;
}

export function assignmentIssues(config: TownshipConfig): Issue[] {
  const units = new Map((config.org?.units ?? []).map((u) => [u.id, u]));
  const posts = config.posts ?? [];
  const rules = config.permissions ?? [];
  const source = { config, org: new OrgTree([...units.values()]) };
  // Posts by where they may sit: a fixed unit, units of a kind, or anywhere.
  const fixed = new Map<string, Post[]>();
  const byKind = new Map<string, Post[]>();
  const anywhere: Post[] = [];
  for (const p of posts) {
    const at = (map: Map<string, Post[]>, key: string) => map.get(key) ?? map.set(key, []).get(key)!;
    if (p.unit) at(fixed, p.unit).push(p);
    else if (p.unitKinds?.length) for (const kind of new Set(p.unitKinds)) at(byKind, kind).push(p);
    else anywhere.push(p);
  }
  const postsHere = (unit: Unit) => [...(fixed.get(unit.id) ?? []), ...(byKind.get(unit.kind) ?? []), ...anywhere];
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
  /** Whether someone who may sit in the unit can read a case of the category sent to it as `as`; null when no post sits there. */
  const ask = (unit: Unit, as: AssignTarget["as"], category: Category): boolean | null => {
    const here = postsHere(unit);
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

  /**
   * Units whose posts get the same rules up to the unit's own id answer alike (thousands of grids
   * are a few classes). The case asked about is reported elsewhere, so where-reported conditions
   * (`orgUnitId`) never hold and are left out of the key; the unit's id in lead or assisting units
   * is written as "$unit"; every other value (a platform, a category) stays as it is.
   */
  const classes = new Map<string, string>();
  const classOf = (unit: Unit) => {
    let key = classes.get(unit.id);
    if (key === undefined) {
      const shape = postsHere(unit).map((p) =>
        rulesFor(source, { userId: SOMEONE, tenantId: SOMEONE, unitId: unit.id, posts: [p.id] }).map((r) => {
          const conditions = { ...r.conditions };
          if (conditions.orgUnitId !== undefined) conditions.orgUnitId = "$never";
          for (const f of ["leadUnitId", "assistUnitIds"] as const)
            if (conditions[f] === unit.id) conditions[f] = "$unit";
          return { ...r, conditions };
        }),
      );
      classes.set(unit.id, (key = JSON.stringify(shape)));
    }
    return key;
  };

  const out: Issue[] = [];
  for (const [workflowId, workflow] of Object.entries(config.workflows ?? {})) {
    const inWorkflow = (config.categories ?? []).filter((c) => c.workflow === workflowId);
    if (!inWorkflow.length) continue;
    // Categories that share a platform and the rules naming them get the same answers, so a
    // township with hundreds of categories and thousands of grids asks once per unit and group.
    const groups = new Map<string, { rep: Category; index: number }>();
    const groupOf = new Map<string, number>();
    for (const c of inWorkflow) {
      const key = `${c.platform}\u0000${rules.flatMap((r, i) => (r.categories?.includes(c.id) ? [i] : [])).join(",")}`;
      if (!groups.has(key)) groups.set(key, { rep: c, index: groups.size });
      groupOf.set(c.id, groups.get(key)!.index);
    }
    const reps = [...groups.values()].map((g) => g.rep);
    const answers = new Map<string, boolean | null>();
    const readable = (unit: Unit, as: AssignTarget["as"], group: number) => {
      const key = `${classOf(unit)}\u0000${as}\u0000${group}`;
      if (!answers.has(key)) answers.set(key, ask(unit, as, reps[group]!));
      return answers.get(key);
    };
    // A target's categories by group; targets from one form share one list, so it is split once.
    const parts = new WeakMap<readonly string[], Array<{ group: number; ids: string[] }>>();
    const partsOf = (ids: readonly string[]) => {
      let split = parts.get(ids);
      if (!split) {
        const byGroup = new Map<number, string[]>();
        for (const id of ids) {
          const group = groupOf.get(id);
          if (group !== undefined) byGroup.set(group, [...(byGroup.get(group) ?? []), id]);
        }
        parts.set(ids, (split = [...byGroup].map(([group, list]) => ({ group, ids: list }))));
      }
      return split;
    };
    (workflow.transitions ?? []).forEach((t, i) => {
      const form = t.form ? config.forms?.[t.form] : undefined;
      t.effects?.forEach((e, k) => {
        if (!isActionName(e.type)) return;
        const assigns = actionOf(e.type).assigns;
        if (!assigns) return;
        const targets = assigns((e.params ?? {}) as never, { config, form, categories: inWorkflow });
        // Unit → lists of the categories whose cases it could not read when they are sent to it.
        const blind = new Map<string, Set<readonly string[]>>();
        for (const target of targets) {
          const unit = units.get(target.unit);
          if (!unit) continue;
          for (const part of partsOf(target.categories)) {
            if (readable(unit, target.as, part.group) !== false) continue;
            blind.set(unit.id, (blind.get(unit.id) ?? new Set()).add(part.ids));
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
  blind: ReadonlyMap<string, ReadonlySet<readonly string[]>>,
): Issue {
  const units = new Map((config.org?.units ?? []).map((u) => [u.id, u.name]));
  const categories = new Map((config.categories ?? []).map((c) => [c.id, c.name]));
  const union = (lists: Iterable<readonly string[]>) => new Set([...lists].flat());
  const all = union(new Set([...blind.values()].flatMap((lists) => [...lists])));
  const shown = [...blind].slice(0, LISTED).map(([id, lists]) => [id, union(lists)] as const);
  const say = (locale: "zh" | "en") => {
    const zh = locale === "zh";
    const name = (t: Text | undefined, id: string) => (zh ? t?.zh : (t?.en ?? t?.zh)) ?? id;
    const cats = (ids: ReadonlySet<string>) =>
      listed(
        [...ids].slice(0, LISTED).map((id) => name(categories.get(id), id)),
        ids.size,
        zh,
      );
    // A unit blind to only some of the categories says which.
    const entries = shown.map(([id, cs]) =>
      cs.size === all.size
        ? name(units.get(id), id)
        : zh
          ? `${name(units.get(id), id)}（${cats(cs)}）`
          : `${name(units.get(id), id)} (${cats(cs)})`,
    );
    return { units: listed(entries, blind.size, zh), categories: cats(all), transition: name(transition.name, "") };
  };
  const zh = say("zh");
  const en = say("en");
  // Its unit and category lists are joined per language here (TextIssue, ADR 043).
  return textIssue(
    pointer(...path),
    "permissions.assignee-cannot-read",
    `“${zh.transition}”可将“${zh.categories}”类事件交给${zh.units}，但这些单位的岗位没有规则查看交给它们的事件：请为其岗位添加 read / Case 规则（如 "scope": "assigned"）`,
    `"${en.transition}" can send cases (${en.categories}) to ${en.units}, but no post there has a rule to read the cases sent to it: add a read / Case rule for their posts (e.g. "scope": "assigned")`,
  );
}
