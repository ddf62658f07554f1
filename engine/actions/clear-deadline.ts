// clear-deadline: the work a clock (default the main deadline) was for is done.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { clearDeadline, defineAction, kindParam } from "./kit";

export default defineAction<FromSchema<typeof kindParam>>(kindParam, {
  places: ["transition"],
  check: (kit, p, { path }) => kit.kindRef(p.kind, [...path, "params", "kind"]),
  endsDeadline: (p, kind, main) => (p.kind ?? main) === kind,
  run(run, p) {
    const d = deadlineOfKind(run.config, run.draft, p.kind);
    if (d) clearDeadline(run, d, "done");
    return [];
  },
});
