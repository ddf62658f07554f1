// Type-level checks of the engine issue catalogs (ADR 043): `tsc --noEmit` fails if any of these
// lines stops being an error, i.e. if a language may lack a code or issue() may take wrong values.
import type { IssueCatalog } from "#app/locales/issues/catalog";
import { en } from "#app/locales/issues/en";
import { issue, issueText } from "#engine/issues";

const { "reference.missing": _dropped, ...withoutOne } = en;
// @ts-expect-error a language missing one code is not a catalog
export const missingCode: IssueCatalog = withoutOne;

// @ts-expect-error a code no catalog has
issue("/a", "no.such-code");
// @ts-expect-error a code with values needs them
issue("/a", "reference.missing");
// @ts-expect-error the values are what engine/issue-codes.ts names
issue("/a", "reference.missing", { what: "post", id: "x" });
// @ts-expect-error a fixed sentence takes no values
issueText("grade.analyst-missing", { n: 1 });

export const fine = [
  issue("/a", "reference.missing", { what: "post", ref: "x" }),
  issueText("migrate.state-unmapped", { at: "mapping", name: { zh: "甲" }, cases: 2 }),
];
