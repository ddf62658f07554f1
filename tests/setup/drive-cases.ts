// Driving cases through the server paths from a test or a benchmark: a member's context as the
// guard builds it, and a transition fired on a case as it stands (its current version).
import type { Db } from "#app/server/db.server";
import { loadTenantContext, type TenantContext } from "#app/server/tenancy.server";
import { transitionCase } from "#app/server/workflow.server";

/** A dispute report the shipped intake form accepts. */
export const validDispute = {
  summary: "邻里噪音纠纷",
  parties: 3,
  location: "桥头村5组",
  partyPhone: "13800001111",
  partyIdNumber: "33090219800101123X",
};

/** The user as a session holds it, for the `load…Context` functions. */
export const sessionUserOf = (db: Db, login: string) =>
  db.user.findUniqueOrThrow({
    where: { login },
    select: { id: true, login: true, displayName: true, active: true },
  });

/** `login`'s context in `township`, or null when the user is no member of it. */
export async function contextOf(db: Db, login: string, township: string): Promise<TenantContext | null> {
  return loadTenantContext(db, await sessionUserOf(db, login), township, new Date());
}

/** `login`'s context in `township` (East Lake by default); throws for a non-member. */
export async function memberContext(db: Db, login: string, township = "east-lake"): Promise<TenantContext> {
  const c = await contextOf(db, login, township);
  if (!c) throw new Error(`${login} is not a member of ${township}`);
  return c;
}

/** Fires `transitionId` as `actor` on the case's current version; returns the result, a refusal included. */
export async function transitionAsIs(
  db: Db,
  actor: TenantContext,
  caseId: string,
  transitionId: string,
  input: unknown,
  now: Date,
) {
  const { version } = await db.case.findUniqueOrThrow({ where: { id: caseId }, select: { version: true } });
  return transitionCase(db, actor, caseId, { transitionId, input, expectedVersion: version }, now);
}

/** As `transitionAsIs`, but a refusal fails the test, naming who fired what. */
export async function fireAs(...args: Parameters<typeof transitionAsIs>) {
  const result = await transitionAsIs(...args);
  if (!result.ok) throw new Error(`${args[1].user.login} ${args[3]}: ${JSON.stringify(result)}`);
  return result;
}
