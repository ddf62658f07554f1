// The effects the engine can return; config names them and the server layer applies them.
export type AuditEffect = { type: "audit"; event: string; data: Record<string, unknown> };
export type NotifyEffect = { type: "notify"; posts: string[]; units?: string[]; kind: string; dedupeKey: string };

export type Effect = AuditEffect | NotifyEffect;

/** Names that config may use in workflow effects and ladders. */
export const EFFECT_TYPES: ReadonlySet<string> = new Set([
  "notify",
  "assign",
  "set-deadline",
  "pause-deadline",
  "resume-deadline",
  "escalate",
  "score",
  "supervision-sheet",
  "principal-talk",
]);
