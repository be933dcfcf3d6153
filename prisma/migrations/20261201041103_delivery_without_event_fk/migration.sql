-- DropForeignKey
ALTER TABLE "Delivery" DROP CONSTRAINT "Delivery_collectedEventId_fkey";

-- AlterTable
ALTER TABLE "CollectedEvent" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- AlterTable
ALTER TABLE "Delivery" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;
