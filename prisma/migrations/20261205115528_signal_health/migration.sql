-- CreateTable
CREATE TABLE "HealthRollup" (
    "siteId" TEXT NOT NULL,
    "span" TEXT NOT NULL,
    "hour" TIMESTAMP(3) NOT NULL,
    "environmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "region" TEXT NOT NULL,
    "destinationId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "received" INTEGER NOT NULL DEFAULT 0,
    "accepted" INTEGER NOT NULL DEFAULT 0,
    "rejected" INTEGER NOT NULL DEFAULT 0,
    "duplicates" INTEGER NOT NULL DEFAULT 0,
    "delivered" INTEGER NOT NULL DEFAULT 0,
    "failed" INTEGER NOT NULL DEFAULT 0,
    "dead" INTEGER NOT NULL DEFAULT 0,
    "keyEmail" INTEGER NOT NULL DEFAULT 0,
    "keyPhone" INTEGER NOT NULL DEFAULT 0,
    "keyExternalId" INTEGER NOT NULL DEFAULT 0,
    "keyFbp" INTEGER NOT NULL DEFAULT 0,
    "keyFbc" INTEGER NOT NULL DEFAULT 0,
    "keyIpUa" INTEGER NOT NULL DEFAULT 0,
    "keyGclid" INTEGER NOT NULL DEFAULT 0,
    "keyTtclid" INTEGER NOT NULL DEFAULT 0,
    "errValue" INTEGER NOT NULL DEFAULT 0,
    "errCurrency" INTEGER NOT NULL DEFAULT 0,
    "errContentIds" INTEGER NOT NULL DEFAULT 0,
    "errOrderId" INTEGER NOT NULL DEFAULT 0,
    "errRequired" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "HealthRollup_pkey" PRIMARY KEY ("siteId","span","hour","environmentId","name","source","region","destinationId")
);

-- CreateTable
CREATE TABLE "EventMerge" (
    "id" BIGSERIAL NOT NULL,
    "teamId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "environmentId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "region" TEXT NOT NULL DEFAULT '',
    "copySource" TEXT NOT NULL,
    "copies" INTEGER NOT NULL DEFAULT 1,
    "targetReceivedAt" TIMESTAMP(3) NOT NULL,
    "oldSource" TEXT NOT NULL,
    "newSource" TEXT NOT NULL,
    "oldKeys" INTEGER NOT NULL DEFAULT 0,
    "newKeys" INTEGER NOT NULL DEFAULT 0,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "EventMerge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "DeliveryOutcome" (
    "id" BIGSERIAL NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "keys" INTEGER NOT NULL DEFAULT 0,
    "at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "DeliveryOutcome_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "HealthFold" (
    "id" TEXT NOT NULL,
    "watermark" TIMESTAMP(3) NOT NULL,
    "foldedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "HealthFold_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "HealthRollup_teamId_span_hour_idx" ON "HealthRollup"("teamId", "span", "hour");

-- The fold's one watermark row exists from the start: a fold always locks it (FOR UPDATE),
-- so two first folds cannot both find none.
INSERT INTO "HealthFold" ("id", "watermark") VALUES ('events', '-infinity');
