// set-deadline: start a clock of a kind (default the main deadline) under a policy, or due on a date from the form.
import type { FromSchema } from "json-schema-to-ts";
import { startDeadline } from "#engine/supervision";
import { clearDeadline, defineAction, fieldIssue, parseDue, policyIdFor, str, stringField } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { kind: str, policy: str, dueField: str },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition"],
  check(kit, p, { path }) {
    const policies = kit.config.deadlinePolicies ?? {};
    if (p.policy !== undefined && !Object.hasOwn(policies, p.policy))
      kit.missing([...path, "params", "policy"], "deadlinePolicy", p.policy);
    if (p.policy === undefined) {
      const without = kit.categoriesWithoutPolicy();
      if (without.length) {
        kit.report(kit.issue(path, "deadline.no-policy", { categories: without }));
      }
    }
    kit.checkField(p.dueField, [...path, "params", "dueField"]);
  },
  startsDeadline: (p, main) => p.kind ?? main,
  deadlinePolicy: (p) => p.policy,
  run(run, p) {
    const kind = p.kind ?? run.config.defaults.mainDeadline;
    const policyId = policyIdFor(run, p.policy);
    let dueAt: Date | undefined;
    if (p.dueField) {
      const raw = stringField(run.input, p.dueField);
      if (raw !== undefined) {
        dueAt = parseDue(raw, run.config.defaults.timeZone);
        if (!dueAt) return [fieldIssue(p.dueField, "deadline.invalid")];
        if (dueAt.getTime() <= run.now.getTime()) return [fieldIssue(p.dueField, "deadline.past")];
      }
    }
    const existing = run.draft.deadlines.find((d) => d.kind === kind);
    if (existing) clearDeadline(run, existing, "replaced");
    const deadline = startDeadline(run.config, {
      id: `${kind}@${run.draft.version}`,
      kind,
      policyId,
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
    return [];
  },
});
