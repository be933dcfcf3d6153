-- The shared rate limits of the collector (lib/collector/limits.ts). UNLOGGED: counts of
-- the current second need no WAL and no crash safety (a crash empties the table, which
-- only forgets the counts of the current second). Prisma schemas cannot say UNLOGGED, and
-- prisma migrate diff does not see the difference either.
-- CreateTable
CREATE UNLOGGED TABLE "RateLimitCount" (
    "key" TEXT NOT NULL,
    "window" BIGINT NOT NULL,
    "points" INTEGER NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RateLimitCount_pkey" PRIMARY KEY ("key")
);
