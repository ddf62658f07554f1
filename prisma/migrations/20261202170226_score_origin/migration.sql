-- CreateEnum
CREATE TYPE "ScoreOrigin" AS ENUM ('rule', 'reversal', 'correction', 'effect');

-- AlterTable: every new line names its origin; existing lines are classified below.
ALTER TABLE "ScoreEntry" ADD COLUMN     "origin" "ScoreOrigin" NOT NULL DEFAULT 'rule';

-- Existing lines told their origin by their key (docs/decisions/026-one-scoring-path.md): rule lines
-- are keyed "score:…", a recompute's correction "…:recompute:<tag>", an appeal's reversal
-- "…:reversed"; any other key was written by the retired workflow `score` action. The ledger is
-- append-only: its trigger is set aside for this one classification.
ALTER TABLE "ScoreEntry" DISABLE TRIGGER "ScoreEntry_append_only";
UPDATE "ScoreEntry" SET "origin" = CASE
    WHEN "dedupeKey" NOT LIKE 'score:%' THEN 'effect'::"ScoreOrigin"
    WHEN "dedupeKey" LIKE '%:recompute:%' THEN 'correction'::"ScoreOrigin"
    WHEN "dedupeKey" LIKE '%:reversed' THEN 'reversal'::"ScoreOrigin"
    ELSE 'rule'::"ScoreOrigin"
  END;
ALTER TABLE "ScoreEntry" ENABLE TRIGGER "ScoreEntry_append_only";
ALTER TABLE "ScoreEntry" ALTER COLUMN "origin" DROP DEFAULT;
