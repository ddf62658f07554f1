// The 三色 level of a rated target as a table cell (colours from LEVEL_CSS), the same on the
// scores screen and the monthly review.
export function LevelCell({ level, levelName }: { level?: string | null; levelName?: string | null }) {
  return (
    <td>
      <span className={`badge level-${level ?? "none"}`} data-level={level}>
        {levelName ?? "—"}
      </span>
    </td>
  );
}
