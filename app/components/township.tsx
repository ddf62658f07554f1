import { useRouteLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { buildAbility, type RawRule } from "#engine/permissions";
import { formatDateTime } from "#engine/time";
import { DEFAULT_TIME_ZONE } from "#schemas/township-config";
import { useLocale, useT } from "#app/i18n";
import type { Labels } from "#app/server/labels.server";

type TownshipData = {
  tenant: { code: string; mode: string; timeZone: string };
  labels: Labels;
  me: { posts: string[]; unit: string };
  screens: { watch: boolean };
  rules: RawRule[];
};

/** The user's abilities in this township, to hide what they cannot do (the server still decides). */
export function useAbility() {
  const { rules } = useTownship();
  return useMemo(() => buildAbility(rules), [rules]);
}

export function useTownship() {
  return useRouteLoaderData("routes/t.$tenant") as TownshipData;
}

/** The township's data when a township page is open (the root header uses it), else undefined. */
export function useOptionalTownship() {
  return useRouteLoaderData("routes/t.$tenant") as TownshipData | undefined;
}

/** A deadline's colour dot and words: green, orange (≤ 2 working days), red (overdue), grey (paused). */
export function DeadlineBadge({
  d,
}: {
  d: { colour: string; paused: boolean; overdue: boolean; overdueWorkingDays: number; workingDaysLeft: number };
}) {
  const t = useT();
  const text = d.paused
    ? t("pausedClock")
    : d.overdue
      ? d.overdueWorkingDays > 0
        ? t("overdueBy", { n: d.overdueWorkingDays })
        : t("overdueToday")
      : d.workingDaysLeft === 0
        ? t("dueToday")
        : t("workingDaysLeft", { n: d.workingDaysLeft });
  return (
    <span className={`due due-${d.colour}`} data-colour={d.colour}>
      {text}
    </span>
  );
}

/** Formats instants in the open township's time zone (elsewhere, e.g. a county page, the schema's default zone). */
export function useWhen() {
  const locale = useLocale();
  const zone = useOptionalTownship()?.tenant.timeZone ?? DEFAULT_TIME_ZONE;
  return (d: string | null | undefined) => (d ? formatDateTime(d, locale, zone) : "—");
}

export function StateBadge({ labels, workflowId, state }: { labels: Labels; workflowId?: string; state: string }) {
  const states = workflowId ? labels.states[workflowId] : Object.assign({}, ...Object.values(labels.states));
  const s = (states as Record<string, { name: string; color: string }> | undefined)?.[state];
  return <span className={`state state-${s?.color ?? "blue"}`}>{s?.name ?? state}</span>;
}
