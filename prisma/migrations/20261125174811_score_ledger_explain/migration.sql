-- AlterTable
ALTER TABLE "ScoreEntry" ADD COLUMN     "configVersion" INTEGER,
ADD COLUMN     "eventSeq" INTEGER,
ADD COLUMN     "fact" TEXT,
ADD COLUMN     "reverses" TEXT;

-- CreateIndex
CREATE INDEX "ScoreEntry_tenantId_targetKind_targetId_at_idx" ON "ScoreEntry"("tenantId", "targetKind", "targetId", "at");
