-- AlterTable
ALTER TABLE "Membership" ADD COLUMN     "awayUntil" TIMESTAMP(3),
ADD COLUMN     "backupPosts" TEXT[] DEFAULT ARRAY[]::TEXT[];
