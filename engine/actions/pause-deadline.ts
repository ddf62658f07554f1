// pause-deadline: stop a running clock (default the main deadline) until resumed.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { pauseDeadline } from "#engine/supervision";
import { defineAction, kindParam } from "./kit";

export default defineAction<FromSchema<typeof kindParam>>(kindParam, {
  places: ["transition"],
  check: (kit, p, { path }) => kit.kindRef(p.kind, [...path, "params", "kind"]),
  run(run, p) {
    const d = deadlineOfKind(run.config, run.draft, p.kind);
    if (!d || d.pausedAt) return [];
    const paused = pauseDeadline(d, run.now);
    run.draft.deadlines = run.draft.deadlines.map((x) => (x.id === d.id ? paused : x));
    run.out.push({
      type: "deadline-paused",
      caseId: run.draft.id,
      deadlineId: d.id,
      kind: d.kind,
      pausedAt: paused.pausedAt!,
    });
    return [];
  },
});
