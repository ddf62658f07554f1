// set-deadline: start a clock of a kind (default the main deadline) under a policy, or due on a date from the form.
// At intake (受理时限) it starts when the case is reported, under its policy only.
import type { FromSchema } from "json-schema-to-ts";
import { startDeadline } from "#engine/supervision";
import { clearDeadline, defineAction, fieldIssue, parseDue, policyIdFor, type Run, str, stringField } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { kind: str, policy: str, dueField: str },
} as const;

type Params = FromSchema<typeof params>;

function start(run: Run, p: Params, dueAt: Date | undefined) {
  const kind = p.kind ?? run.config.defaults.mainDeadline;
  const existing = run.draft.deadlines.find((d) => d.kind === kind);
  if (existing) clearDeadline(run, existing, "replaced");
  const deadline = startDeadline(run.config, {
    id: `${kind}@${run.draft.version}`,
    kind,
    policyId: policyIdFor(run, p.policy),
    mode: run.draft.mode,
    start: run.now,
    ...(dueAt ? { dueAt } : {}),
  });
  run.draft.deadlines = [...run.draft.deadlines, deadline];
  run.out.push({
    type: "deadline-set",
    caseId: run.draft.id,
    deadline,
    ...(existing ? { replaces: existing.id } : {}),
  });
}

export default defineAction<Params>(params, {
  places: ["transition", "intake"],
  check(kit, p, { path, place }) {
    const policies = kit.config.deadlinePolicies ?? {};
    if (p.policy !== undefined && !Object.hasOwn(policies, p.policy))
      kit.missing([...path, "params", "policy"], "deadlinePolicy", p.policy);
    if (p.policy === undefined) {
      const without = kit.categoriesWithoutPolicy();
      if (without.length) {
        kit.report(kit.issue(path, "deadline.no-policy", { categories: without }));
      }
    }
    if (place === "intake" && p.dueField !== undefined) {
      kit.report(kit.issue([...path, "params", "dueField"], "deadline.intake-due-field"));
      return;
    }
    kit.checkField(p.dueField, [...path, "params", "dueField"]);
  },
  startsDeadline: (p, main) => p.kind ?? main,
  endsDeadline: (p, kind, main) => (p.kind ?? main) === kind,
  deadlinePolicy: (p) => p.policy,
  run(run, p) {
    let dueAt: Date | undefined;
    if (p.dueField) {
      const raw = stringField(run.input, p.dueField);
      if (raw !== undefined) {
        dueAt = parseDue(raw, run.config.defaults.timeZone);
        if (!dueAt) return [fieldIssue(p.dueField, "deadline.invalid")];
        if (dueAt.getTime() <= run.now.getTime()) return [fieldIssue(p.dueField, "deadline.past")];
      }
    }
    start(run, p, dueAt);
    return [];
  },
  intake: (run, p) => start(run, p, undefined),
});
