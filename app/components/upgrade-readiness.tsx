// A township's dry-run upgrade to a template version, as a coloured badge (standards body screens).
import { useT } from "#app/i18n";

/** What upgrading to the newest version would take for a township behind it (a dry run). */
export function UpgradeReadiness({ r }: { r: { to: string; conflicts: number; invalid: boolean } | undefined }) {
  const t = useT();
  if (!r) return null;
  const version = r.to.slice(r.to.lastIndexOf("@") + 1);
  const [key, cls] = r.invalid
    ? (["stdUpgradeInvalid", "state-red"] as const)
    : r.conflicts
      ? (["stdUpgradeConflicts", "state-orange"] as const)
      : (["stdUpgradeClean", "state-green"] as const);
  return (
    <span className={`state ${cls}`} data-testid="upgrade-readiness" style={{ display: "block", width: "fit-content" }}>
      {t(key, { version, n: r.conflicts })}
    </span>
  );
}
