-- CreateEnum
CREATE TYPE "SupervisionStatus" AS ENUM ('open', 'closed');

-- AlterTable
ALTER TABLE "Tenant" ADD COLUMN     "modeChangedAt" TIMESTAMP(3),
ADD COLUMN     "modeVersion" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "assignment" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "assistUnitIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "closedAt" TIMESTAMP(3),
ADD COLUMN     "deadlines" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "dueAt" TIMESTAMP(3),
ADD COLUMN     "escalatedBy" TEXT,
ADD COLUMN     "escalatedTo" TEXT,
ADD COLUMN     "leadUnitId" TEXT,
ADD COLUMN     "nextCheckAt" TIMESTAMP(3);

-- AlterTable
ALTER TABLE "Notification" ADD COLUMN     "data" JSONB,
ADD COLUMN     "urgency" TEXT NOT NULL DEFAULT 'normal';

-- CreateTable
CREATE TABLE "SupervisionSheet" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "number" TEXT NOT NULL,
    "trigger" TEXT NOT NULL,
    "deadlineKind" TEXT,
    "dueAt" TIMESTAMP(3),
    "issuedAt" TIMESTAMP(3) NOT NULL,
    "respondBy" TIMESTAMP(3),
    "toUnitIds" TEXT[],
    "toUserIds" TEXT[],
    "copyPosts" TEXT[],
    "urgency" TEXT NOT NULL DEFAULT 'normal',
    "status" "SupervisionStatus" NOT NULL DEFAULT 'open',
    "closedAt" TIMESTAMP(3),
    "response" TEXT,
    "dedupeKey" TEXT NOT NULL,

    CONSTRAINT "SupervisionSheet_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "PrincipalTalk" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "caseId" UUID NOT NULL,
    "principalPost" TEXT NOT NULL,
    "withUnitIds" TEXT[],
    "withUserIds" TEXT[],
    "scheduleBy" TIMESTAMP(3) NOT NULL,
    "heldAt" TIMESTAMP(3),
    "notes" TEXT,
    "status" "SupervisionStatus" NOT NULL DEFAULT 'open',
    "dedupeKey" TEXT NOT NULL,

    CONSTRAINT "PrincipalTalk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ScoreEntry" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "caseId" UUID,
    "rule" TEXT NOT NULL,
    "targetKind" TEXT NOT NULL,
    "targetId" TEXT NOT NULL,
    "points" DOUBLE PRECISION NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "dedupeKey" TEXT NOT NULL,

    CONSTRAINT "ScoreEntry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Webhook" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "url" TEXT NOT NULL,
    "secret" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Webhook_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SupervisionSheet_dedupeKey_key" ON "SupervisionSheet"("dedupeKey");

-- CreateIndex
CREATE INDEX "SupervisionSheet_tenantId_status_idx" ON "SupervisionSheet"("tenantId", "status");

-- CreateIndex
CREATE INDEX "SupervisionSheet_caseId_idx" ON "SupervisionSheet"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "SupervisionSheet_tenantId_number_key" ON "SupervisionSheet"("tenantId", "number");

-- CreateIndex
CREATE UNIQUE INDEX "PrincipalTalk_dedupeKey_key" ON "PrincipalTalk"("dedupeKey");

-- CreateIndex
CREATE INDEX "PrincipalTalk_tenantId_status_idx" ON "PrincipalTalk"("tenantId", "status");

-- CreateIndex
CREATE INDEX "PrincipalTalk_caseId_idx" ON "PrincipalTalk"("caseId");

-- CreateIndex
CREATE UNIQUE INDEX "ScoreEntry_dedupeKey_key" ON "ScoreEntry"("dedupeKey");

-- CreateIndex
CREATE INDEX "ScoreEntry_tenantId_at_idx" ON "ScoreEntry"("tenantId", "at");

-- CreateIndex
CREATE INDEX "Webhook_tenantId_idx" ON "Webhook"("tenantId");

-- CreateIndex
CREATE INDEX "Case_nextCheckAt_idx" ON "Case"("nextCheckAt");

-- CreateIndex
CREATE INDEX "Case_tenantId_dueAt_idx" ON "Case"("tenantId", "dueAt");

-- AddForeignKey
ALTER TABLE "SupervisionSheet" ADD CONSTRAINT "SupervisionSheet_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "SupervisionSheet" ADD CONSTRAINT "SupervisionSheet_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrincipalTalk" ADD CONSTRAINT "PrincipalTalk_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "PrincipalTalk" ADD CONSTRAINT "PrincipalTalk_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreEntry" ADD CONSTRAINT "ScoreEntry_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ScoreEntry" ADD CONSTRAINT "ScoreEntry_caseId_fkey" FOREIGN KEY ("caseId") REFERENCES "Case"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Webhook" ADD CONSTRAINT "Webhook_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: row-level security for the new tenant-owned tables (docs/decisions/009).
ALTER TABLE "SupervisionSheet" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "SupervisionSheet" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "PrincipalTalk" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "PrincipalTalk" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "ScoreEntry" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ScoreEntry" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "Webhook" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Webhook" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());

-- The county centre sees the cases its townships escalated to it, and may update them.
DROP POLICY tenant_isolation ON "Case";
CREATE POLICY tenant_isolation ON "Case"
  USING ("tenantId" = gridwork_tenant()
    OR ("escalatedTo" = 'county' AND "tenantId" IN (SELECT id FROM "Tenant" WHERE "parentId" = gridwork_tenant())))
  WITH CHECK ("tenantId" = gridwork_tenant()
    OR ("escalatedTo" IS NOT NULL AND "tenantId" IN (SELECT id FROM "Tenant" WHERE "parentId" = gridwork_tenant())));

-- The score ledger is append-only like the audit trail.
CREATE FUNCTION gridwork_refuse_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ScoreEntry_append_only" BEFORE UPDATE OR DELETE ON "ScoreEntry"
  FOR EACH ROW EXECUTE FUNCTION gridwork_refuse_change();
