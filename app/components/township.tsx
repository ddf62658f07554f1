import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { buildAbility, type RawRule } from "../../engine/permissions";
import type { Labels } from "../server/labels.server";

export type TownshipData = { tenant: { code: string }; labels: Labels; me: { posts: string[]; unit: string }; rules: RawRule[] };

/** The user's abilities in this township, to hide what they cannot do (the server still decides). */
export function useAbility() {
  const { rules } = useTownship();
  return useMemo(() => buildAbility(rules), [rules]);
}

export function useTownship() {
  return useRouteLoaderData("routes/t.$tenant") as TownshipData;
}

export function StateBadge({ labels, workflowId, state }: { labels: Labels; workflowId?: string; state: string }) {
  const states = workflowId ? labels.states[workflowId] : Object.assign({}, ...Object.values(labels.states));
  const s = (states as Record<string, { name: string; color: string }> | undefined)?.[state];
  return <span className={`state state-${s?.color ?? "blue"}`}>{s?.name ?? state}</span>;
}
