// The second wall: as the application role, the database returns no tenant rows without a tenant
// context, and only that tenant's rows with one — whatever the query says.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { withTenant } from "#app/server/db.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let east: { id: string };
let west: { id: string };
beforeAll(async () => {
  s = await seededDatabase();
  east = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
  west = await s.db.tenant.findUniqueOrThrow({ where: { code: "west-hill" } });
  for (const [login, town, data] of [
    ["east.grid1", "east-lake", validDispute],
    ["west.grid1", "west-hill", { summary: "农贸市场占道经营" }],
  ] as const) {
    const ctx = (await s.contextOf(login, town))!;
    const r = await reportCase(
      ctx,
      { categoryId: town === "east-lake" ? "dispute" : "market-complaint", data },
      new Date(),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
  }
});
afterAll(() => teardown(s));

const countAs = (setup: string) =>
  s.db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe("SET LOCAL ROLE gridwork_app");
    if (setup) await tx.$executeRawUnsafe(setup);
    const rows = await tx.$queryRawUnsafe<Array<{ n: bigint }>>(`SELECT count(*) AS n FROM "Case"`);
    return Number(rows[0]!.n);
  });

describe("row-level security by tenant", () => {
  it("the owner connection sees both townships' cases (sanity check for the tests below)", async () => {
    expect(await s.db.case.count()).toBe(2);
  });

  it("a raw query without tenant context sees no rows", async () => {
    expect(await countAs("")).toBe(0);
  });

  it("a raw query with a tenant context sees only that tenant's rows", async () => {
    expect(await countAs(`SELECT set_config('gridwork.tenant_id', '${east.id}', true)`)).toBe(1);
  });

  it("a query that forgets its tenant filter still cannot cross tenants", async () => {
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "west.routing" } });
    const seen = await withTenant(s.db, { tenantId: west.id, userId: user.id }, (tx) =>
      tx.case.findMany({ select: { tenantId: true } }),
    );
    expect(seen.map((c) => c.tenantId)).toEqual([west.id]);
  });

  it("refuses writing a row into another tenant", async () => {
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "west.routing" } });
    await expect(
      withTenant(s.db, { tenantId: west.id, userId: user.id }, (tx) =>
        tx.tenantCounter.create({ data: { tenantId: east.id, name: "forged", value: 1 } }),
      ),
    ).rejects.toThrow(/row-level security/);
  });
});
