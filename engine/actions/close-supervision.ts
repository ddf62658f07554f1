// close-supervision: supervision is over; every clock stops and open sheets and talks close.
import type { FromSchema } from "json-schema-to-ts";
import { clearDeadline, defineAction } from "./kit";

const params = { type: "object", additionalProperties: false, properties: {} } as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition"],
  endsDeadline: () => true,
  run(run) {
    for (const d of [...run.draft.deadlines]) clearDeadline(run, d, "closed");
    run.out.push({ type: "supervision-closed", caseId: run.draft.id, at: run.now.toISOString() });
    return [];
  },
});
