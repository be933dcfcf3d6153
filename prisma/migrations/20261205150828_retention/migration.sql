-- AlterTable
ALTER TABLE "Team" ADD COLUMN     "retentionDays" INTEGER;

-- CreateTable
CREATE TABLE "RetentionRun" (
    "startAt" TIMESTAMP(3) NOT NULL,
    "claimedBy" TEXT NOT NULL,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),
    "deleted" JSONB NOT NULL DEFAULT '{}',
    "error" TEXT,

    CONSTRAINT "RetentionRun_pkey" PRIMARY KEY ("startAt")
);

-- CreateIndex
CREATE INDEX "DeliveryRequest_teamId_sentAt_idx" ON "DeliveryRequest"("teamId", "sentAt");
