-- AlterTable
ALTER TABLE "Environment" ADD COLUMN     "serverKeyHash" TEXT,
ADD COLUMN     "serverKeyPrefix" TEXT;

-- CreateTable
CREATE TABLE "CollectedEvent" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid()::text,
    "teamId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "environmentKind" TEXT NOT NULL,
    "versionNumber" INTEGER,
    "name" TEXT NOT NULL,
    "eventId" TEXT NOT NULL,
    "orderId" TEXT,
    "source" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "params" JSONB NOT NULL DEFAULT '{}',
    "userData" JSONB NOT NULL DEFAULT '{}',
    "context" JSONB NOT NULL DEFAULT '{}',
    "consent" JSONB NOT NULL DEFAULT '{}',
    "region" TEXT,
    "test" BOOLEAN NOT NULL DEFAULT false,
    "eventTime" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "CollectedEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DedupKey" (
    "environmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "collectedEventId" TEXT NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "DedupKey_pkey" PRIMARY KEY ("environmentId","name","key")
);

-- CreateTable
CREATE TABLE "Delivery" (
    "id" TEXT NOT NULL DEFAULT gen_random_uuid()::text,
    "teamId" TEXT NOT NULL,
    "collectedEventId" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "platform" TEXT NOT NULL,
    "eventName" TEXT NOT NULL,
    "target" JSONB NOT NULL DEFAULT '{}',
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "firstAttemptAt" TIMESTAMP(3),
    "lastStatus" INTEGER,
    "lastError" TEXT,
    "lastResponse" TEXT,
    "deliveredAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Delivery_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "CollectedEvent_environmentId_receivedAt_idx" ON "CollectedEvent"("environmentId", "receivedAt");

-- CreateIndex
CREATE INDEX "CollectedEvent_teamId_receivedAt_idx" ON "CollectedEvent"("teamId", "receivedAt");

-- CreateIndex
CREATE INDEX "DedupKey_expiresAt_idx" ON "DedupKey"("expiresAt");

-- CreateIndex
CREATE INDEX "Delivery_status_nextAttemptAt_idx" ON "Delivery"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "Delivery_teamId_status_idx" ON "Delivery"("teamId", "status");

-- CreateIndex
CREATE INDEX "Delivery_collectedEventId_idx" ON "Delivery"("collectedEventId");

-- CreateIndex
CREATE UNIQUE INDEX "Environment_serverKeyHash_key" ON "Environment"("serverKeyHash");

-- AddForeignKey
ALTER TABLE "Delivery" ADD CONSTRAINT "Delivery_collectedEventId_fkey" FOREIGN KEY ("collectedEventId") REFERENCES "CollectedEvent"("id") ON DELETE CASCADE ON UPDATE CASCADE;
