-- AlterTable
ALTER TABLE "AuditEvent" ADD COLUMN     "hashAlg" TEXT NOT NULL DEFAULT 'sha256';

-- CreateTable
CREATE TABLE "AuditCheckpoint" (
    "id" BIGSERIAL NOT NULL,
    "tenantId" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "hash" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL,
    "keyId" TEXT NOT NULL,
    "signature" TEXT NOT NULL,

    CONSTRAINT "AuditCheckpoint_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "AuditCheckpoint_tenantId_seq_idx" ON "AuditCheckpoint"("tenantId", "seq");

-- AddForeignKey
ALTER TABLE "AuditCheckpoint" ADD CONSTRAINT "AuditCheckpoint_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Hand-written: checkpoints are append-only like the audit trail, and tenant-scoped
-- (docs/decisions/005-audit-trail.md, 009-row-level-security.md). Existing AuditEvent rows keep
-- hashAlg 'sha256' (ADD COLUMN fills them without firing the append-only trigger).
CREATE FUNCTION gridwork_refuse_checkpoint_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'AuditCheckpoint is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "AuditCheckpoint_append_only"
  BEFORE UPDATE OR DELETE ON "AuditCheckpoint"
  FOR EACH ROW EXECUTE FUNCTION gridwork_refuse_checkpoint_change();

ALTER TABLE "AuditCheckpoint" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AuditCheckpoint" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
