-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "taskId" UUID;

-- CreateIndex
CREATE UNIQUE INDEX "Case_taskId_tenantId_key" ON "Case"("taskId", "tenantId");

-- Tasks sent down (ADR 041): the county may read (never write) its own townships' task cases; only
-- the county's fan-out job sets "taskId", so these are the county's own tasks. (A policy on "Case"
-- cannot select from "Case" itself: that recurses.)
CREATE POLICY county_reads_tasks ON "Case" FOR SELECT
  USING ("taskId" IS NOT NULL AND "tenantId" IN (SELECT id FROM "Tenant" WHERE "parentId" = gridwork_tenant()));
