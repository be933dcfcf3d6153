-- DropIndex
DROP INDEX "CollectedEvent_teamId_receivedAt_idx";

-- AlterTable
ALTER TABLE "CollectedEvent" ADD COLUMN     "eventKey" TEXT,
ADD COLUMN     "orderKey" TEXT,
ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- AlterTable
ALTER TABLE "Delivery" ALTER COLUMN "id" SET DEFAULT gen_random_uuid()::text;

-- Keys still inside their 48 h window move onto their events (written by hand: the
-- generated diff would drop them).
UPDATE "CollectedEvent" e SET "eventKey" = d."key"
FROM "DedupKey" d
WHERE d."collectedEventId" = e."id" AND d."key" NOT LIKE 'order:%' AND d."expiresAt" > now();
UPDATE "CollectedEvent" e SET "orderKey" = substr(d."key", 7)
FROM "DedupKey" d
WHERE d."collectedEventId" = e."id" AND d."key" LIKE 'order:%' AND d."expiresAt" > now();

-- DropTable
DROP TABLE "DedupKey";

-- CreateIndex
CREATE UNIQUE INDEX "CollectedEvent_environmentId_name_eventKey_key" ON "CollectedEvent"("environmentId", "name", "eventKey");

-- CreateIndex
CREATE UNIQUE INDEX "CollectedEvent_environmentId_name_orderKey_key" ON "CollectedEvent"("environmentId", "name", "orderKey");
