// resume-deadline: restart a paused clock (default the main deadline), its due date moved by the pause.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { resumeDeadline } from "#engine/supervision";
import { defineAction, kindParam } from "./kit";

export default defineAction<FromSchema<typeof kindParam>>(kindParam, {
  places: ["transition"],
  check: (kit, p, { path }) => kit.kindRef(p.kind, [...path, "params", "kind"]),
  run(run, p) {
    const d = deadlineOfKind(run.config, run.draft, p.kind);
    if (!d?.pausedAt) return [];
    const resumed = resumeDeadline(run.config, d, run.now);
    run.draft.deadlines = run.draft.deadlines.map((x) => (x.id === d.id ? resumed : x));
    run.out.push({
      type: "deadline-resumed",
      caseId: run.draft.id,
      deadlineId: d.id,
      kind: d.kind,
      resumedAt: run.now.toISOString(),
      previousDueAt: d.dueAt,
      dueAt: resumed.dueAt,
    });
    return [];
  },
});
