-- CreateTable
CREATE TABLE "TemplateVersion" (
    "id" UUID NOT NULL,
    "templateId" TEXT NOT NULL,
    "version" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "notes" TEXT,
    "publishedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "publishedBy" TEXT NOT NULL,

    CONSTRAINT "TemplateVersion_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "TemplateVersion_templateId_version_key" ON "TemplateVersion"("templateId", "version");

-- Hand-written: published versions are immutable (docs/decisions/006-config-resolution.md).
CREATE FUNCTION gridwork_refuse_published_change() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION '% rows are immutable once published', TG_TABLE_NAME;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER "TemplateVersion_immutable" BEFORE UPDATE OR DELETE ON "TemplateVersion"
  FOR EACH ROW EXECUTE FUNCTION gridwork_refuse_published_change();
CREATE TRIGGER "ConfigVersion_immutable" BEFORE UPDATE OR DELETE ON "ConfigVersion"
  FOR EACH ROW EXECUTE FUNCTION gridwork_refuse_published_change();
