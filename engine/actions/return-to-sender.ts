// return-to-sender (退回): give the case back to who assigned it (or, from the county, to who escalated it); the main clock stops.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { clearDeadline, defineAction, str, stringField } from "./kit";

const params = { type: "object", additionalProperties: false, properties: { reasonField: str } } as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition"],
  check: (kit, p, { path }) => kit.checkField(p.reasonField, [...path, "params", "reasonField"]),
  endsDeadline: (_p, kind, main) => kind === main,
  run(run, p, site) {
    const reason = stringField(run.input, p.reasonField ?? "reason") ?? "";
    let sender: string;
    if (run.actor.kind === "county" && run.draft.escalatedTo) {
      sender = run.draft.escalatedBy ?? run.draft.reporterId;
      delete run.draft.escalatedTo;
      delete run.draft.escalatedBy;
    } else {
      sender = run.draft.assignment.assignedBy ?? run.draft.reporterId;
    }
    const main = deadlineOfKind(run.config, run.draft, undefined);
    if (main) clearDeadline(run, main, "returned");
    run.draft.assignment = { assistUnitIds: [] };
    run.out.push({
      type: "notify",
      posts: [],
      users: [sender],
      kind: "case.returned",
      urgency: run.urgency,
      caseId: run.draft.id,
      data: { reason },
      dedupeKey: site.key,
    });
    return [];
  },
  fact: "case.returned",
});
