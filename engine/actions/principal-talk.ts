// principal-talk (约谈): the principal leader talks with the responsible people, to be held within a window.
import type { FromSchema } from "json-schema-to-ts";
import { deadlineOfKind } from "#engine/case-state";
import { addDuration } from "#engine/calendar";
import { calendarOf, policyOf } from "#engine/supervision";
import { actors, defineAction, durationParam, notify, policyIdFor, recipients, str } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { principal: str, with: actors, within: durationParam },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition", "ladder"],
  check(kit, p, { path }) {
    if (p.principal !== undefined && !kit.postIds.has(p.principal))
      kit.missing([...path, "params", "principal"], "post", p.principal);
    if (p.principal === undefined && !(kit.config.posts ?? []).some((x) => x.kind === "leadership")) {
      kit.report(kit.issue(path, "effect.no-principal"));
    }
    kit.checkActors(p.with, [...path, "params", "with"], true);
  },
  addressees: (p) => p.with ?? ["$lead-assignee"],
  run(run, p, site) {
    const principal = p.principal ?? run.config.leadershipPosts[0];
    if (!principal) throw new Error("principal-talk: the config has no leadership post");
    const deadline = site.deadline ?? deadlineOfKind(run.config, run.draft, undefined);
    const policy = policyOf(run.config, deadline?.policyId ?? policyIdFor(run, undefined));
    const within = p.within ?? policy.feedbackWindow;
    const scheduleBy = within ? addDuration(calendarOf(run.config, policy), run.now, within) : run.now;
    const withWhom = recipients(run, p.with ?? ["$lead-assignee"]);
    run.out.push({
      type: "principal-talk",
      caseId: run.draft.id,
      tenantId: run.draft.tenantId,
      principalPost: principal,
      withUnitIds: withWhom.units ?? [],
      withUserIds: withWhom.users ?? [],
      ...(deadline ? { deadlineId: deadline.id } : {}),
      scheduleBy: scheduleBy.toISOString(),
      ...(site.label ? { label: site.label } : {}),
      dedupeKey: site.key,
    });
    notify(run, [principal, ...(p.with ?? ["$lead-assignee"])], "supervision.talk", `${site.key}:notify`, {
      principalPost: principal,
      scheduleBy: scheduleBy.toISOString(),
    });
    return [];
  },
  fact: "supervision.talk-ordered",
});
