// Live checking of a config edit, shared by the config editor and the form designer: the edit is
// posted for validation a moment after it stops changing; an answer counts only for the edit it
// was asked about; a refused publish stays in view.
import { useActionData, useFetcher, useNavigation, type ShouldRevalidateFunction } from "@remix-run/react";
import { useEffect, useRef } from "react";
import type { DeadlineImpactView } from "#app/server/config-admin.server";
import type { ShownIssue } from "./issue-list";

export type EditResponse = {
  intent: "validate" | "publish";
  ok: boolean;
  issues: ShownIssue[];
  warnings?: ShownIssue[];
  changes: Array<{ zh: string; en: string }>;
  impact?: DeadlineImpactView;
};

/** A submission with this intent (a check, a preview) changes nothing on the server: no need to reload the page's data. */
export const noRevalidateOn =
  (intent: string): ShouldRevalidateFunction =>
  ({ formData, defaultShouldRevalidate }) =>
    formData?.get("intent") === intent ? false : defaultShouldRevalidate;

export const noRevalidateOnCheck = noRevalidateOn("validate");

/** `check` is the server's answer for this very edit (undefined while none is current). */
export function useLiveCheck(edit: string, enabled: boolean) {
  const published = useActionData() as EditResponse | undefined;
  const navigation = useNavigation();
  const validator = useFetcher<EditResponse>();
  const submitted = useRef<string | null>(null);

  // biome-ignore lint/correctness/useExhaustiveDependencies: validate when the edit changes, not when the fetcher does.
  useEffect(() => {
    if (!enabled) return;
    const timer = setTimeout(() => {
      submitted.current = edit;
      validator.submit({ intent: "validate", edit }, { method: "post" });
    }, 350);
    return () => clearTimeout(timer);
  }, [edit]);

  const answer = validator.data;
  const check = enabled && answer && validator.state === "idle" && submitted.current === edit ? answer : undefined;
  return {
    check,
    refused: published && !published.ok ? published.issues : [],
    publishing: navigation.state !== "idle" && navigation.formData?.get("intent") === "publish",
  };
}
