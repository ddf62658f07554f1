// supervision-sheet (督办单): issue a numbered sheet to the responsible units, with copies, and notify them.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { addDuration } from "#engine/calendar";
import { calendarOf, policyOf } from "#engine/supervision";
import { actors, defineAction, notify, policyIdFor, recipients, str } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { to: actors, copy: actors, deadline: str },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition", "ladder"],
  check(kit, p, { path }) {
    kit.kindRef(p.deadline, [...path, "params", "deadline"]);
    kit.checkActors(p.to, [...path, "params", "to"], true);
    kit.checkActors(p.copy, [...path, "params", "copy"], true);
  },
  addressees: (p) => p.to ?? ["$lead-assignee"],
  run(run, p, site) {
    const deadline = site.deadline ?? deadlineOfKind(run.config, run.draft, p.deadline);
    const policy = policyOf(run.config, deadline?.policyId ?? policyIdFor(run, undefined));
    const to = recipients(run, p.to ?? ["$lead-assignee"]);
    const copy = recipients(run, p.copy ?? []);
    // A sheet to a post with a fixed unit (the command room's, for an intake deadline) goes to that unit.
    const postUnits = to.posts.flatMap((id) => {
      const unit = run.config.posts.get(id)?.unit;
      return unit ? [unit] : [];
    });
    const respondBy = policy.feedbackWindow
      ? addDuration(calendarOf(run.config, policy), run.now, policy.feedbackWindow).toISOString()
      : undefined;
    run.out.push({
      type: "supervision-sheet",
      caseId: run.draft.id,
      tenantId: run.draft.tenantId,
      sequence: "supervision-sheet",
      trigger: site.place === "ladder" ? "ladder" : "manual",
      ...(deadline ? { deadlineId: deadline.id, deadlineKind: deadline.kind, dueAt: deadline.dueAt } : {}),
      issuedAt: run.now.toISOString(),
      ...(respondBy ? { respondBy } : {}),
      toUnitIds: [...new Set([...(to.units ?? []), ...postUnits])],
      toUserIds: to.users ?? [],
      copyPosts: copy.posts,
      urgency: run.urgency,
      ...(site.label ? { label: site.label } : {}),
      dedupeKey: site.key,
    });
    notify(run, [...(p.to ?? ["$lead-assignee"]), ...(p.copy ?? [])], "supervision.sheet", `${site.key}:notify`, {
      ...(deadline ? { deadlineId: deadline.id, dueAt: deadline.dueAt } : {}),
      ...(respondBy ? { respondBy } : {}),
    });
    return [];
  },
  fact: "supervision.sheet-issued",
});
