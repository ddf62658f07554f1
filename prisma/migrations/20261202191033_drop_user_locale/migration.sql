-- AlterTable
ALTER TABLE "User" DROP COLUMN "locale";
