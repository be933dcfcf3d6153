-- CreateTable
CREATE TABLE "PurgeJob" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "siteId" TEXT,
    "label" TEXT NOT NULL,
    "keys" JSONB NOT NULL,
    "wholeTeam" BOOLEAN NOT NULL DEFAULT false,
    "purged" JSONB NOT NULL DEFAULT '{}',
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "PurgeJob_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "PurgeJob_teamId_idx" ON "PurgeJob"("teamId");
