// The JSON that forms post (a report's data, a transition's input, a config edit, a draft), read
// within the caps of engine/limits.ts: too large or nested too deeply is refused before parsing.
import type { Issue } from "#engine/issues";
import { parseBoundedJson } from "#engine/limits";

export type JsonField = { ok: true; value: unknown } | { ok: false; status: 400 | 413; issue: Issue };

/** A form field's JSON; absent, empty or not JSON is `undefined` (the routes report what is missing). */
export function jsonField(form: FormData, name: string): JsonField {
  const raw = form.get(name);
  return typeof raw === "string" && raw ? parseBoundedJson(raw) : { ok: true, value: undefined };
}
