-- The notify job's list of a township's webhooks is cached per process too (ADR 044); a change is
-- announced on the per-process cache channel like the other cached tables (ADR 031).
CREATE TRIGGER "Webhook_cache" AFTER INSERT OR UPDATE OR DELETE ON "Webhook" FOR EACH STATEMENT EXECUTE FUNCTION gridwork_cache_notify();
