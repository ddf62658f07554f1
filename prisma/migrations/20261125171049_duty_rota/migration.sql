-- CreateTable
CREATE TABLE "DutyRota" (
    "tenantId" UUID NOT NULL,
    "data" JSONB NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "updatedBy" UUID,

    CONSTRAINT "DutyRota_pkey" PRIMARY KEY ("tenantId")
);

-- Hand-written: row-level security (docs/decisions/009).
ALTER TABLE "DutyRota" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "DutyRota" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
