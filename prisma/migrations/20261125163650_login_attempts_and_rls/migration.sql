-- CreateTable
CREATE TABLE "LoginAttempt" (
    "id" BIGSERIAL NOT NULL,
    "key" TEXT NOT NULL,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "LoginAttempt_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "LoginAttempt_key_at_idx" ON "LoginAttempt"("key", "at");

-- Hand-written: row-level security by tenant, a second wall behind the app's own filters
-- (docs/decisions/009-row-level-security.md). Request handling runs as gridwork_app with
-- gridwork.tenant_id / gridwork.user_id set per transaction; without them it sees no rows.
DO $$
BEGIN
  CREATE ROLE gridwork_app NOLOGIN NOBYPASSRLS;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL; -- roles are cluster-wide: another database of this cluster made it already
END $$;

GRANT gridwork_app TO CURRENT_USER;
GRANT USAGE ON SCHEMA public TO gridwork_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO gridwork_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO gridwork_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO gridwork_app;
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO gridwork_app;

CREATE FUNCTION gridwork_tenant() RETURNS uuid AS $$
  SELECT NULLIF(current_setting('gridwork.tenant_id', true), '')::uuid
$$ LANGUAGE sql STABLE;

CREATE FUNCTION gridwork_user() RETURNS uuid AS $$
  SELECT NULLIF(current_setting('gridwork.user_id', true), '')::uuid
$$ LANGUAGE sql STABLE;

ALTER TABLE "Case" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Case" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "AuditEvent" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "AuditEvent" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "OutboxJob" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "OutboxJob" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "TenantCounter" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "TenantCounter" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "ConfigVersion" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "ConfigVersion" USING ("tenantId" = gridwork_tenant()) WITH CHECK ("tenantId" = gridwork_tenant());
-- A user's own memberships and notifications are visible to them across tenants.
ALTER TABLE "Membership" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Membership" USING ("tenantId" = gridwork_tenant() OR "userId" = gridwork_user()) WITH CHECK ("tenantId" = gridwork_tenant());
ALTER TABLE "Notification" ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON "Notification" USING ("tenantId" = gridwork_tenant() OR "userId" = gridwork_user()) WITH CHECK ("tenantId" = gridwork_tenant());
