-- AlterTable
ALTER TABLE "Case" ADD COLUMN     "sourceTenant" TEXT;
