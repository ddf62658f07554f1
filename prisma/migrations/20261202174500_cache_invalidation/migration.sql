-- Per-process caches (docs/decisions/031-per-process-caches.md): every change to what a request's
-- context is built from is announced on one channel, whichever process or tool wrote it.
CREATE FUNCTION gridwork_cache_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('gridwork_cache', TG_TABLE_NAME);
  RETURN NULL;
END $$;

-- Sessions: an ended or changed session; the sliding lastSeenAt write (forward) is not announced,
-- one moved back (a session aged on purpose) is.
CREATE TRIGGER "Session_cache_delete" AFTER DELETE ON "Session" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "Session_cache_update" AFTER UPDATE ON "Session" FOR EACH ROW
  WHEN (NEW."userId" IS DISTINCT FROM OLD."userId" OR NEW."expiresAt" IS DISTINCT FROM OLD."expiresAt" OR NEW."lastSeenAt" < OLD."lastSeenAt")
  EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "User_cache" AFTER UPDATE OR DELETE ON "User" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "Membership_cache" AFTER INSERT OR UPDATE OR DELETE ON "Membership" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "Tenant_cache" AFTER INSERT OR UPDATE OR DELETE ON "Tenant" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "ConfigVersion_cache" AFTER INSERT OR UPDATE OR DELETE ON "ConfigVersion" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
CREATE TRIGGER "DutyRota_cache" AFTER INSERT OR UPDATE OR DELETE ON "DutyRota" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
