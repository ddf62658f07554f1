import type { IssueCode } from "#engine/issues";

/** One language's texts for every engine issue code: a code missing here fails the type check (ADR 043). */
export type IssueCatalog = { readonly [K in IssueCode]: string };
