-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "sourceCaseId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Case_sourceCaseId_key" ON "Case"("sourceCaseId");

-- Two linked records (ADR 039): the county works its own case in its own tenant, so it no longer
-- writes a township's case; it may still read the cases its own townships escalated to it.
DROP POLICY tenant_isolation ON "Case";
CREATE POLICY tenant_isolation ON "Case"
  USING ("tenantId" = gridwork_tenant())
  WITH CHECK ("tenantId" = gridwork_tenant());
CREATE POLICY county_reads_escalations ON "Case" FOR SELECT
  USING ("escalatedTo" = 'county' AND "tenantId" IN (SELECT id FROM "Tenant" WHERE "parentId" = gridwork_tenant()));
