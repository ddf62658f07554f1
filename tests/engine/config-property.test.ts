import { describe, it, expect } from "vitest";
import fc from "fast-check";

// Hundreds of full config validations per property: generous on a busy 2-core machine.
const PROPERTY_TIMEOUT = 120_000;
import { validateTownshipConfig } from "#engine/config/validate";
import { compileConfig } from "#engine/config/compile";
import { decideIntake } from "#engine/intake";
import { actor, demoConfig, type MutableConfig } from "./helpers";
import { isIssueCode, issueMessage } from "#app/locales/issues/index";
import type { Issue } from "#engine/issues";

type JsonValue = ReturnType<typeof JSON.parse>;
type Token = string | number;

const base = demoConfig();

/** Every location in the document (not the root), as token paths. */
function paths(node: JsonValue, prefix: Token[] = [], out: Token[][] = []): Token[][] {
  const children: Array<[Token, JsonValue]> = Array.isArray(node)
    ? node.map((v, i) => [i, v])
    : node !== null && typeof node === "object"
      ? Object.entries(node)
      : [];
  for (const [key, child] of children) {
    out.push([...prefix, key]);
    paths(child, [...prefix, key], out);
  }
  return out;
}

function parentOf(doc: JsonValue, path: Token[]): { parent: JsonValue; key: Token } {
  let node = doc;
  for (const token of path.slice(0, -1)) node = node[token];
  return { parent: node, key: path[path.length - 1]! };
}

type Mutation = { op: "delete" | "replace" | "remove-item"; pick: number; value: JsonValue };

/** Applies a mutation at a location picked among the document's current locations. */
function apply(doc: MutableConfig, m: Mutation): void {
  const all = paths(doc);
  const candidates = m.op === "remove-item" ? all.filter((p) => typeof p[p.length - 1] === "number") : all;
  if (!candidates.length) return;
  const { parent, key } = parentOf(doc, candidates[m.pick % candidates.length]!);
  if (m.op === "replace") parent[key] = m.value;
  else if (Array.isArray(parent)) parent.splice(key as number, 1);
  else delete parent[key];
}

const mutation: fc.Arbitrary<Mutation> = fc.record({
  op: fc.constantFrom("delete" as const, "replace" as const, "remove-item" as const),
  pick: fc.nat(),
  value: fc.jsonValue({ maxDepth: 3 }),
});

const mutatedConfig = fc.array(mutation, { minLength: 1, maxLength: 4 }).map((mutations) => {
  const doc = structuredClone(base);
  for (const m of mutations) apply(doc, m);
  return doc;
});

function expectWellFormedResult(result: unknown, input: unknown) {
  expect(result).toBeTypeOf("object");
  const r = result as { ok: unknown; config?: unknown; issues?: unknown; warnings?: unknown };
  // Warnings ride along on either answer and are issues in form (ADR 006).
  if (r.warnings !== undefined) {
    expect(Array.isArray(r.warnings) && r.warnings.length > 0).toBe(true);
    expectWellFormedIssues(r.warnings as unknown[]);
  }
  if (r.ok === true) {
    expect(r.config).toBe(input);
    expect(
      Object.keys(r)
        .filter((k) => k !== "warnings")
        .sort(),
    ).toEqual(["config", "ok"]);
    return;
  }
  expect(r.ok).toBe(false);
  expect(Array.isArray(r.issues)).toBe(true);
  expect((r.issues as unknown[]).length).toBeGreaterThan(0);
  expectWellFormedIssues(r.issues as unknown[]);
}

function expectWellFormedIssues(list: unknown[]) {
  const issues = list as Issue[];
  for (const issue of issues) {
    expect(typeof issue.path).toBe("string");
    expect(issue.path === "" || issue.path.startsWith("/")).toBe(true);
    expect(typeof issue.code).toBe("string");
    expect(issue.code.length).toBeGreaterThan(0);
    // What a person reads, in both languages: text from the catalog, never the bare code.
    const message = issueMessage(issue);
    expect(message.zh.length).toBeGreaterThan(0);
    expect(message.en.length).toBeGreaterThan(0);
    if ("params" in issue) expect(isIssueCode(issue.code), issue.code).toBe(true);
  }
}

describe("validateTownshipConfig on randomly damaged configs", () => {
  it(
    "the unmutated base config is valid (so damage is what the properties exercise)",
    () => {
      expect(validateTownshipConfig(structuredClone(base)).ok).toBe(true);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "never throws and always answers ok-with-config or a non-empty list of well-formed issues",
    () => {
      fc.assert(
        fc.property(mutatedConfig, (config) => {
          const snapshot = structuredClone(config);
          const result = validateTownshipConfig(config);
          expectWellFormedResult(result, config);
          // Validation only reads the document.
          expect(config).toEqual(snapshot);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "answers the same way every time for the same document",
    () => {
      fc.assert(
        fc.property(mutatedConfig, (config) => {
          expect(validateTownshipConfig(structuredClone(config))).toEqual(validateTownshipConfig(config));
        }),
        { numRuns: 80 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "never throws on arbitrary JSON documents",
    () => {
      fc.assert(
        fc.property(fc.jsonValue({ maxDepth: 4 }), (doc) => {
          expectWellFormedResult(validateTownshipConfig(doc), doc);
        }),
        { numRuns: 200 },
      );
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a config that validates can be compiled and used for intake without crashing",
    () => {
      // Deleting optional parts keeps many configs valid; each valid one must be runnable.
      const deletions = fc.array(
        fc.record({ op: fc.constant("delete" as const), pick: fc.nat(), value: fc.constant(null) }),
        { minLength: 1, maxLength: 3 },
      );
      let validSeen = 0;
      fc.assert(
        fc.property(deletions, (mutations) => {
          const config = structuredClone(base);
          for (const m of mutations) apply(config, m);
          const result = validateTownshipConfig(config);
          if (!result.ok) return;
          validSeen++;
          const compiled = compileConfig(result.config);
          for (const category of compiled.categories.values()) {
            const decision = decideIntake(
              {
                compiled,
                configVersion: 1,
                actor: actor(result.config.id, "command-room", ["routing"]),
                now: new Date(0),
                caseId: "c-1",
              },
              {
                categoryId: category.id,
                data: { summary: "一句话说明情况", parties: 2, location: "某地", hazardType: "其他" },
              },
            );
            if (decision.ok) {
              const workflow = compiled.workflows.get(decision.case.workflowId);
              expect(workflow).toBeDefined();
              expect(Object.keys(workflow!.states)).toContain(decision.case.state);
              expect(compiled.grades.has(decision.case.gradeId)).toBe(true);
            }
          }
        }),
        // Compiling a config compiles its forms, which is the slow part: fewer runs keep this quick.
        { numRuns: 80 },
      );
      expect(validSeen).toBeGreaterThan(5);
    },
    PROPERTY_TIMEOUT,
  );

  it(
    "a category reference is accepted exactly when it names something defined in the config",
    () => {
      const fields = {
        platform: (c: MutableConfig) =>
          c.org.units
            .filter((u: { kind: string }) => ["platform", "special-unit", "module"].includes(u.kind))
            .map((u: { id: string }) => u.id) as string[],
        defaultGrade: (c: MutableConfig) => c.grades.map((g: { id: string }) => g.id) as string[],
        intakeForm: (c: MutableConfig) => Object.keys(c.forms),
        workflow: (c: MutableConfig) => Object.keys(c.workflows),
        deadlinePolicy: (c: MutableConfig) => Object.keys(c.deadlinePolicies),
      };
      const idLike = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
      const arb = fc.record({
        field: fc.constantFrom(...(Object.keys(fields) as Array<keyof typeof fields>)),
        category: fc.nat({ max: 2 }),
        // Defined ids, random ids, and names every JS object answers to.
        ref: fc.oneof(
          fc.constantFrom("constructor", "valueof", "tostring", "hasownproperty"),
          idLike,
          fc.constantFrom(
            ...fields.platform(base),
            ...fields.defaultGrade(base),
            ...fields.intakeForm(base),
            ...fields.workflow(base),
            ...fields.deadlinePolicy(base),
          ),
        ),
      });
      fc.assert(
        fc.property(arb, ({ field, category, ref }) => {
          // Whether a non-platform unit (a grid, a village) may be a category's platform is not settled here.
          fc.pre(
            !(
              field === "platform" &&
              base.org.units.some((u: { id: string }) => u.id === ref) &&
              !fields.platform(base).includes(ref)
            ),
          );
          const config = structuredClone(base);
          config.categories[category][field] = ref;
          const result = validateTownshipConfig(config);
          const defined = fields[field](config).includes(ref);
          expect(result.ok ? [] : result.issues.map((i) => `${i.path} ${i.code}`)).toEqual(
            defined ? [] : [`/categories/${category}/${field} reference.missing`],
          );
        }),
        { numRuns: 300 },
      );
    },
    PROPERTY_TIMEOUT,
  );
});
