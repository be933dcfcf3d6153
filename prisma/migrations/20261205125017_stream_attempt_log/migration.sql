-- The stream's attempt log and the delivery log's index. No index is added to the
-- collector's tables: Delivery keeps three (the (teamId, status) one gains createdAt).

-- DropIndex
DROP INDEX "Delivery_teamId_status_idx";

-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "attemptLog" JSONB;

-- CreateTable
CREATE TABLE "DeliveryRequest" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "sentAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "durationMs" INTEGER,
    "url" TEXT,
    "body" TEXT,
    "httpStatus" INTEGER,
    "response" TEXT,
    "count" INTEGER NOT NULL,

    CONSTRAINT "DeliveryRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "Delivery_teamId_status_createdAt_idx" ON "Delivery"("teamId", "status", "createdAt");
