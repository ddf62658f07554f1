// escalate: hand the case to the county (in a transition), or tell the county it is overdue (in a ladder, or handover: false).
import type { FromSchema } from "json-schema-to-ts";
import { clearDeadline, defineAction, str, stringField } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { to: { const: "county" }, reasonField: str, handover: { type: "boolean" } },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition", "ladder"],
  check: (kit, p, { path }) => kit.checkField(p.reasonField, [...path, "params", "reasonField"]),
  // A handover stops every clock.
  endsDeadline: (p) => p.handover !== false,
  run(run, p, site) {
    const handover = site.place === "transition" && p.handover !== false;
    const reason = stringField(run.input, p.reasonField ?? "reason") ?? site.label?.zh ?? "";
    if (handover) {
      run.draft.escalatedTo = "county";
      run.draft.escalatedBy = run.actor.userId;
      for (const d of [...run.draft.deadlines]) clearDeadline(run, d, "escalated");
    }
    run.out.push({
      type: "escalate",
      caseId: run.draft.id,
      tenantId: run.draft.tenantId,
      to: "county",
      handover,
      reason,
      dedupeKey: site.key,
    });
    return [];
  },
  fact: "case.escalated",
});
