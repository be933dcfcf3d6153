-- AlterTable
ALTER TABLE "CollectedEvent" ADD COLUMN     "quality" INTEGER;
