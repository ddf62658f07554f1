-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "stuckSince" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX "Case_tenantId_stuckSince_idx" ON "Case"("tenantId", "stuckSince");
