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
