// Questions about a township's org tree, answered from its config.
import {
  ORG_UNIT_KINDS,
  type OrgUnitGroup,
  type OrgUnitKind,
  type OrgUnitRole,
  type TownshipConfig,
} from "#schemas/township-config";

export type OrgUnit = NonNullable<NonNullable<TownshipConfig["org"]>["units"]>[number];

export class OrgTree {
  readonly byId: ReadonlyMap<string, OrgUnit>;
  private readonly children = new Map<string, string[]>();

  constructor(units: readonly OrgUnit[]) {
    this.byId = new Map(units.map((u) => [u.id, u]));
    for (const unit of units) {
      if (!unit.parent) continue;
      const list = this.children.get(unit.parent) ?? [];
      list.push(unit.id);
      this.children.set(unit.parent, list);
    }
  }

  /** The unit and every unit below it. */
  subtree(unitId: string): string[] {
    const out: string[] = [];
    const stack = [unitId];
    const seen = new Set<string>();
    while (stack.length) {
      const id = stack.pop()!;
      if (seen.has(id)) continue;
      seen.add(id);
      out.push(id);
      stack.push(...(this.children.get(id) ?? []));
    }
    return out;
  }

  /** The unit and its ancestors, nearest first. */
  ancestry(unitId: string): string[] {
    const out: string[] = [];
    let id: string | undefined = unitId;
    const seen = new Set<string>();
    while (id && !seen.has(id)) {
      seen.add(id);
      out.push(id);
      id = this.byId.get(id)?.parent;
    }
    return out;
  }
}

/** A unit kind's role and ranking group, from the schema's vocabulary; unknown kinds are plain units. */
export const unitRole = (kind: string | undefined): OrgUnitRole =>
  kind !== undefined && Object.hasOwn(ORG_UNIT_KINDS, kind) ? ORG_UNIT_KINDS[kind as OrgUnitKind].role : "unit";
export const unitGroup = (kind: string | undefined): OrgUnitGroup =>
  kind !== undefined && Object.hasOwn(ORG_UNIT_KINDS, kind) ? ORG_UNIT_KINDS[kind as OrgUnitKind].group : "unit";
