-- DropIndex
DROP INDEX "Delivery_collectedEventId_idx";

-- AlterTable
ALTER TABLE "CollectedEvent" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- AlterTable
ALTER TABLE "Delivery" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;
