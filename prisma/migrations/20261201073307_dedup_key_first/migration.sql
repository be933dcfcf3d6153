-- DropIndex
DROP INDEX "CollectedEvent_environmentId_name_eventKey_key";

-- DropIndex
DROP INDEX "CollectedEvent_environmentId_name_orderKey_key";

-- AlterTable
ALTER TABLE "CollectedEvent" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- AlterTable
ALTER TABLE "Delivery" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- CreateIndex
CREATE UNIQUE INDEX "CollectedEvent_eventKey_environmentId_name_key" ON "CollectedEvent"("eventKey", "environmentId", "name");

-- CreateIndex
CREATE UNIQUE INDEX "CollectedEvent_orderKey_environmentId_name_key" ON "CollectedEvent"("orderKey", "environmentId", "name");
