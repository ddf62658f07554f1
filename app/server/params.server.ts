// Route params and query values checked before they reach a query: a malformed id is the same 404
// as a missing record, a malformed page number a 400, never a database error.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { notFound } from "./tenancy.server";

type Params = LoaderFunctionArgs["params"];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const isUuid = (value: unknown): value is string => typeof value === "string" && UUID.test(value);

/** The named route params, each a record id (uuid); any other value is a 404. */
export function requireIds<K extends string>(params: Params, ...names: K[]): Record<K, string> {
  const ids = {} as Record<K, string>;
  for (const name of names) {
    const value = params[name];
    if (!isUuid(value)) notFound();
    ids[name] = value;
  }
  return ids;
}

const MAX_PAGE = 1_000_000;

/** A page number from the query (absent → `first`); anything but a plain small integer is a 400. */
export function requirePage(value: string | null, first: number): number {
  if (value === null || value === "") return first;
  const page = /^\d{1,7}$/.test(value) ? Number(value) : NaN;
  if (!(page >= first && page <= MAX_PAGE))
    throw new Response("页码无效 / Invalid page number", {
      status: 400,
      headers: { "Content-Type": "text/plain; charset=utf-8" },
    });
  return page;
}
