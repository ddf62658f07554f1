// Moving a township config to a new template version: a three-way merge of the township's
// overrides (ours) with what the template changed between the version it extends (base) and the
// new one (theirs). docs/decisions/008-config-versions-and-upgrade.md.
//
// Everything the township does not override simply follows the template: additions arrive,
// removals go, changes apply. Where the township overrides something the template also changed
// differently, or the template removed something the township overrides or refers to, the upgrade
// stops with a conflict for each such path and a person decides ("ours", "theirs", or a value of
// their own). No township override is ever dropped without that decision, and the result is
// validated exactly like a published config (prepareConfig) before it is returned.
//
// Paths are id paths (./id-paths.ts): `/categories/dispute/name/zh`.
import { type Issue, type IssueText, issue, issueText } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";
import { diffConfigs, type ConfigChange } from "./diff";
import {
  childAt,
  getAtIdPath,
  isAtOrUnder,
  isIdArray,
  isJsonObject,
  joinPointer,
  jsonEqual,
  setOwn,
  splitPointer,
  idPathsIn,
  indexById,
  type Json,
  type JsonObject,
} from "./id-paths";
import { IDENTITY_KEYS, isListEdit, mergeConfig, resolveConfig, type TemplateLookup } from "./resolve";
import { validateTownshipConfig } from "./validate";

export type ConflictCode =
  /** The township overrides a value the template changed to something else. */
  | "upgrade.both-changed"
  /** The township added something under an id or key the new template now defines differently. */
  | "upgrade.both-added"
  /** The template removed something the township overrides. */
  | "upgrade.removed-by-template"
  /** The township removes an item (`$remove`) that the template changed or newly added. */
  | "upgrade.removed-by-township"
  /** The township refers to something (a post, a form, a unit …) the new template no longer has. */
  | "upgrade.reference-removed";

export type UpgradeConflict = {
  path: string;
  code: ConflictCode;
  /** The old template's value at the path. */
  base?: Json;
  /** The township's value now (absent when the township removes the item). */
  ours?: Json;
  /** The new template's value (absent when the new template no longer has it). */
  theirs?: Json;
  /** Why, for a person: rendered per language by the app (ADR 043). */
  message: IssueText;
};

/**
 * A person's decision on one conflict: keep the township's value, take the template's, or write a
 * value of their own (`{ value }`, so that a custom string "ours" is not mistaken for a choice).
 */
export type Resolution = "ours" | "theirs" | { value: Json };

export type UpgradeInput = {
  /** The township's config as written: its overrides, extending the base template version. */
  source: unknown;
  /** The template version the source extends now, as published. */
  base: unknown;
  /** The template version to move to, as published. */
  target: unknown;
  /** For templates that themselves extend other templates. */
  lookup?: TemplateLookup;
  /** Decisions on earlier conflicts, by conflict path. */
  resolutions?: Readonly<Record<string, Resolution>>;
};

export type UpgradeSuccess = {
  ok: true;
  from: string;
  to: string;
  /** The new source: `extends` names the new version; every override kept or decided on. */
  source: JsonObject;
  resolved: TownshipConfig;
  /** How the township's resolved config changes. */
  changes: ConfigChange[];
  /** What the template changed between the two versions. */
  templateChanges: ConfigChange[];
};

export type UpgradeFailure = {
  ok: false;
  from: string;
  to: string;
  conflicts: UpgradeConflict[];
  /** Problems that are not conflicts: bad input, or the merged config does not validate. */
  issues: Issue[];
  templateChanges: ConfigChange[];
  /** The inputs, so that applyResolutions can run the upgrade again with decisions added. */
  input: UpgradeInput;
};

export type UpgradeResult = UpgradeSuccess | UpgradeFailure;

// Identity always comes from the township itself (resolve.ts), so the template cannot conflict with it.
const IDENTITY = new Set<string>(["$schema", ...IDENTITY_KEYS]);

function templateRef(doc: unknown): string | undefined {
  return isJsonObject(doc) && typeof doc.id === "string" && typeof doc.version === "string"
    ? `${doc.id}@${doc.version}`
    : undefined;
}

/** Runs the upgrade once more with further decisions; the earlier ones are kept. */
export function applyResolutions(failed: UpgradeFailure, choices: Readonly<Record<string, Resolution>>): UpgradeResult {
  return upgradeConfig({ ...failed.input, resolutions: { ...failed.input.resolutions, ...choices } });
}

export function upgradeConfig(input: UpgradeInput): UpgradeResult {
  const from = templateRef(input.base) ?? "?";
  const to = templateRef(input.target) ?? "?";
  const fail = (issues: Issue[], templateChanges: ConfigChange[] = []): UpgradeFailure => ({
    ok: false,
    from,
    to,
    conflicts: [],
    issues,
    templateChanges,
    input,
  });

  const source = input.source;
  if (!isJsonObject(source)) return fail([issue("", "upgrade.not-an-object")]);
  if (source.extends !== from) {
    return fail([
      issue(
        "/extends",
        "upgrade.base-mismatch",
        source.extends === undefined
          ? { base: "none", extends: "", from }
          : { base: "some", extends: String(source.extends), from },
      ),
    ]);
  }
  for (const [doc, ref] of [
    [input.base, from],
    [input.target, to],
  ] as const) {
    if (!isJsonObject(doc) || doc.kind !== "template" || ref === "?") {
      return fail([issue("", "upgrade.not-a-template", { ref })]);
    }
  }
  const lookup: TemplateLookup = (ref) => (ref === from ? input.base : ref === to ? input.target : input.lookup?.(ref));
  const baseResolved = resolveConfig(input.base, lookup);
  const targetResolved = resolveConfig(input.target, lookup);
  const oldResolved = resolveConfig(source, lookup);
  for (const r of [baseResolved, targetResolved, oldResolved]) if (!r.ok) return fail(r.issues);
  const base = (baseResolved as { value: Json }).value;
  const target = (targetResolved as { value: Json }).value;
  const old = (oldResolved as { value: Json }).value;
  const templateChanges = diffConfigs(base, target);
  const resolutions = input.resolutions ?? {};
  const used = new Set<string>();

  // 1. Walk the township's overrides against what the template did at each of them.
  const structural = findConflicts(source, base, target);

  // 2. Start from the source as written, pointing at the new version, and apply decisions.
  const draft = structuredClone(source);
  setOwn(draft, "extends", to);
  const shapes = [target, base, old];
  const open: UpgradeConflict[] = [];
  for (const conflict of structural) {
    const choice = Object.hasOwn(resolutions, conflict.path) ? resolutions[conflict.path] : undefined;
    if (choice === undefined) {
      open.push(conflict);
      continue;
    }
    used.add(conflict.path);
    applyChoice(draft, conflict, choice, shapes);
  }

  // 3. Validate; a missing reference at a value the township sets is a conflict too.
  const oldIssues = idIssues(old, validateTownshipConfig(old));
  const seenBefore = new Set(oldIssues.map((i) => i.code + " " + i.path));
  let referenceConflicts: UpgradeConflict[] = [];
  let issues: Issue[] = [];
  let resolved: TownshipConfig | undefined;
  for (let round = 0; round < 8; round++) {
    const merged = resolveConfig(draft, lookup);
    if (!merged.ok) return fail(merged.issues, templateChanges);
    const validation = validateTownshipConfig(merged.value);
    if (validation.ok) {
      resolved = validation.config;
      referenceConflicts = [];
      issues = [];
      break;
    }
    referenceConflicts = [];
    issues = [];
    let decided = false;
    for (const found of idIssues(merged.value, validation)) {
      // Issues inside an undecided conflict are its consequence; they go once it is decided.
      if (open.some((c) => isAtOrUnder(found.path, c.path))) continue;
      const ours = getAtIdPath(draft, found.path);
      const isNew = !seenBefore.has(found.code + " " + found.path);
      if (
        found.code === "reference.missing" &&
        "params" in found &&
        ours !== undefined &&
        isNew &&
        !used.has(found.path)
      ) {
        const choice = Object.hasOwn(resolutions, found.path) ? resolutions[found.path] : undefined;
        const conflict: UpgradeConflict = {
          path: found.path,
          code: "upgrade.reference-removed",
          ...defined("base", getAtIdPath(base, found.path)),
          ours,
          ...defined("theirs", getAtIdPath(target, found.path)),
          message: issueText("upgrade.reference-removed", { found: { code: found.code, params: found.params }, to }),
        };
        if (choice === undefined) referenceConflicts.push(conflict);
        else {
          used.add(found.path);
          applyChoice(draft, conflict, choice, shapes);
          decided = true;
        }
      } else {
        issues.push(found);
      }
    }
    if (!decided) break;
  }

  for (const path of Object.keys(resolutions)) {
    if (!used.has(path)) {
      issues.push(issue(path, "upgrade.resolution-unused", { path }));
    }
  }
  const conflicts = [...open, ...referenceConflicts];
  if (conflicts.length || issues.length || !resolved)
    return { ok: false, from, to, conflicts, issues, templateChanges, input };
  return {
    ok: true,
    from,
    to,
    source: draft,
    resolved,
    changes: diffConfigs(old, resolved as unknown as Json),
    templateChanges,
  };
}

const defined = <K extends string>(key: K, value: Json | undefined) =>
  value === undefined ? {} : ({ [key]: value } as Record<K, Json>);

/** Validation issues with id paths over the document they were found in. */
function idIssues(document: unknown, validation: ReturnType<typeof validateTownshipConfig>): Issue[] {
  if (validation.ok) return [];
  const toIdPath = idPathsIn(document);
  return validation.issues.map((i) => ({ ...i, path: toIdPath(i.path) }));
}

function findConflicts(source: JsonObject, base: Json, target: Json): UpgradeConflict[] {
  const out: UpgradeConflict[] = [];
  const conflict = (
    tokens: string[],
    code: Exclude<ConflictCode, "upgrade.reference-removed">,
    values: { base?: Json; ours?: Json; theirs?: Json },
  ) => {
    const path = joinPointer(tokens);
    out.push({ path, code, ...values, message: issueText(code, { path }) });
  };

  const walk = (ours: Json, b: Json | undefined, t: Json | undefined, tokens: string[]) => {
    if (b === undefined && t === undefined) return; // the township's own addition
    if (jsonEqual(b, t)) return; // the template did not touch it
    if (t === undefined) {
      // The template removed what the township overrides; "ours" is what the township has now.
      return conflict(tokens, "upgrade.removed-by-template", {
        base: b!,
        ours: mergeConfig(b!, ours),
        theirs: undefined,
      });
    }
    if (b === undefined) {
      // Both added the same id or key: fine when the township's adds nothing over the template's.
      if (jsonEqual(mergeConfig(t, ours), t)) return;
      return conflict(tokens, "upgrade.both-added", { ours, theirs: t });
    }
    if (isJsonObject(ours) && isJsonObject(b) && isJsonObject(t)) {
      for (const key of Object.keys(ours)) {
        if (tokens.length === 0 && IDENTITY.has(key)) continue;
        walk(ours[key]!, childAt(b, key), childAt(t, key), [...tokens, key]);
      }
      return;
    }
    if (isListEdit(ours) && Array.isArray(b) && Array.isArray(t)) {
      // Appending, prepending and removing items carry over to the template's new list; only a
      // replaced list can collide with what the template did to it.
      if (!Object.hasOwn(ours, "$replace") || jsonEqual(ours.$replace, t)) return;
      return conflict(tokens, "upgrade.both-changed", { base: b, ours, theirs: t });
    }
    if (isIdArray(ours) && isIdArray(b) && isIdArray(t)) {
      const bById = indexById(b);
      const tById = indexById(t);
      for (const item of ours) {
        const id = item.id as string;
        const bi = bById.get(id);
        const ti = tById.get(id);
        const at = [...tokens, id];
        if (item.$remove === true) {
          if (ti === undefined || jsonEqual(bi, ti)) continue; // gone either way, or untouched
          conflict(at, "upgrade.removed-by-township", { ...defined("base", bi), theirs: ti });
          continue;
        }
        walk(item, bi, ti, at);
      }
      return;
    }
    // A value the township replaces whole: a conflict unless both sides now agree.
    if (jsonEqual(ours, t)) return;
    conflict(tokens, "upgrade.both-changed", { base: b, ours, theirs: t });
  };

  walk(source, base, target, []);
  return out;
}

function applyChoice(draft: JsonObject, conflict: UpgradeConflict, choice: Resolution, shapes: Json[]) {
  if (choice === "theirs") {
    // Drop the township's override there, so that the new template's value shows through.
    deleteAt(draft, conflict.path);
  } else if (choice === "ours") {
    // The township keeps what it has. Where the template removed the thing, the township's whole
    // current version moves into its own config; elsewhere the override is already in place.
    if (conflict.code === "upgrade.removed-by-template") setAt(draft, conflict.path, conflict.ours ?? null, shapes);
  } else {
    setAt(draft, conflict.path, choice.value, shapes);
  }
}

/** Whether a token addresses an array's items by id (an empty array takes ids unless the token is a number). */
const byId = (array: Json[], token: string) => isIdArray(array) && !(array.length === 0 && /^\d+$/.test(token));

/** Removes the value at an id path, then the containers it leaves empty (an item left with only its id). */
function deleteAt(document: JsonObject, path: string) {
  const tokens = splitPointer(path);
  const chain: Json[] = [document];
  for (const token of tokens.slice(0, -1)) {
    const next = childAt(chain[chain.length - 1], token);
    if (next === undefined || typeof next !== "object" || next === null) return;
    chain.push(next);
  }
  for (let depth = tokens.length - 1; depth >= 0; depth--) {
    const parent = chain[depth]!;
    const token = tokens[depth]!;
    if (Array.isArray(parent)) {
      const at = byId(parent, token)
        ? parent.findIndex((item) => isJsonObject(item) && item.id === token)
        : Number(token);
      if (at >= 0 && at < parent.length) parent.splice(at, 1);
    } else if (isJsonObject(parent)) {
      delete parent[token];
    }
    if (depth === 0) return;
    const keys = Array.isArray(parent) ? [] : Object.keys(parent as JsonObject);
    const empty = Array.isArray(parent)
      ? parent.length === 0
      : keys.length === 0 || (Array.isArray(chain[depth - 1]) && keys.length === 1 && keys[0] === "id");
    if (!empty) return;
  }
}

/** Writes a value at an id path, creating the objects, id arrays and items on the way. */
function setAt(document: JsonObject, path: string, value: Json, shapes: Json[]) {
  const tokens = splitPointer(path);
  let node: Json = document;
  let shapeNodes: Array<Json | undefined> = shapes;
  tokens.forEach((token, i) => {
    const last = i === tokens.length - 1;
    const nextShapes = shapeNodes.map((s) => (s === undefined ? undefined : childAt(s, token)));
    if (Array.isArray(node) && !byId(node, token)) {
      const at = Number(token);
      if (last) node[at] = value;
      else node = node[at] ?? null;
    } else if (Array.isArray(node)) {
      const at = node.findIndex((item) => isJsonObject(item) && item.id === token);
      if (last) {
        const item = isJsonObject(value) ? { ...value, id: token } : value;
        if (at >= 0) node[at] = item;
        else node.push(item);
        return;
      }
      if (at < 0) node.push({ id: token });
      node = node[at < 0 ? node.length - 1 : at]!;
    } else if (isJsonObject(node)) {
      if (last) return setOwn(node, token, value);
      if (!Object.hasOwn(node, token) || typeof node[token] !== "object" || node[token] === null) {
        setOwn(node, token, nextShapes.some((s) => Array.isArray(s)) ? [] : {});
      }
      node = node[token]!;
    }
    shapeNodes = nextShapes;
  });
}
