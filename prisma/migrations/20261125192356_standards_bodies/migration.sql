-- AlterEnum
ALTER TYPE "TenantKind" ADD VALUE 'standards';

-- AlterTable
ALTER TABLE "TemplateVersion" ADD COLUMN     "notesEn" TEXT,
ADD COLUMN     "publisherId" UUID;

-- AddForeignKey
ALTER TABLE "TemplateVersion" ADD CONSTRAINT "TemplateVersion_publisherId_fkey" FOREIGN KEY ("publisherId") REFERENCES "Tenant"("id") ON DELETE SET NULL ON UPDATE CASCADE;
