// notify: tell posts or special actors (at intake: posts only; in a ladder, default the lead assignee).
import type { FromSchema } from "json-schema-to-ts";
import { actors, defineAction, notify, str } from "./kit";

const params = {
  type: "object",
  additionalProperties: false,
  properties: { to: actors, posts: actors, kind: str, urgency: { enum: ["normal", "urgent"] } },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition", "ladder", "intake"],
  check(kit, p, { path, place }) {
    if (place !== "ladder" && p.to === undefined && p.posts === undefined) {
      kit.report(kit.issue(path, "effect.no-recipients"));
    }
    kit.checkActors(p.to, [...path, "params", "to"], true);
    kit.checkActors(p.posts, [...path, "params", "posts"], true);
    if (place === "intake" && p.to) kit.report(kit.issue([...path, "params", "to"], "effect.intake-posts-only"));
  },
  run(run, p, site) {
    const entries = p.to ?? p.posts ?? (site.place === "ladder" ? ["$lead-assignee"] : []);
    const data = {
      ...(site.deadline
        ? { deadlineId: site.deadline.id, deadlineKind: site.deadline.kind, dueAt: site.deadline.dueAt }
        : {}),
      ...(site.label ? { label: site.label } : {}),
    };
    notify(run, entries, p.kind ?? site.kind, site.key, Object.keys(data).length ? data : undefined, p.urgency);
  },
  addressees: (p) => p.to ?? p.posts ?? ["$lead-assignee"],
  intake: (run, p, site) => {
    run.out.push({
      type: "notify",
      posts: p.posts ?? [],
      kind: site.kind,
      ...(site.withCaseId ? { caseId: site.caseId } : {}),
      dedupeKey: site.key,
    });
  },
});
