-- CreateTable
CREATE TABLE "Order" (
    "siteId" TEXT NOT NULL,
    "orderId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "placedAt" TIMESTAMP(3) NOT NULL,
    "value" DECIMAL(14,4) NOT NULL,
    "currency" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "emailHash" TEXT,
    "phoneHash" TEXT,
    "channel" TEXT,
    "importId" TEXT,
    "updatedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Order_pkey" PRIMARY KEY ("siteId","orderId")
);

-- CreateTable
CREATE TABLE "OrderImport" (
    "id" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "siteId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "fileName" TEXT,
    "status" TEXT NOT NULL DEFAULT 'running',
    "rows" INTEGER NOT NULL DEFAULT 0,
    "inserted" INTEGER NOT NULL DEFAULT 0,
    "updated" INTEGER NOT NULL DEFAULT 0,
    "unchanged" INTEGER NOT NULL DEFAULT 0,
    "errorRows" INTEGER NOT NULL DEFAULT 0,
    "errors" JSONB NOT NULL DEFAULT '[]',
    "error" TEXT,
    "bytes" BIGINT NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "OrderImport_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "CatalogProduct" (
    "siteId" TEXT NOT NULL,
    "productId" TEXT NOT NULL,
    "teamId" TEXT NOT NULL,
    "price" DECIMAL(14,4),
    "currency" TEXT,

    CONSTRAINT "CatalogProduct_pkey" PRIMARY KEY ("siteId","productId")
);

-- CreateIndex
CREATE INDEX "Order_siteId_placedAt_idx" ON "Order"("siteId", "placedAt");

-- CreateIndex
CREATE INDEX "Order_teamId_idx" ON "Order"("teamId");

-- CreateIndex
CREATE INDEX "OrderImport_siteId_startedAt_idx" ON "OrderImport"("siteId", "startedAt");

-- CreateIndex
CREATE INDEX "OrderImport_teamId_idx" ON "OrderImport"("teamId");

-- CreateIndex
CREATE INDEX "CatalogProduct_teamId_idx" ON "CatalogProduct"("teamId");

-- AddForeignKey
ALTER TABLE "Order" ADD CONSTRAINT "Order_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OrderImport" ADD CONSTRAINT "OrderImport_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "CatalogProduct" ADD CONSTRAINT "CatalogProduct_siteId_fkey" FOREIGN KEY ("siteId") REFERENCES "Site"("id") ON DELETE CASCADE ON UPDATE CASCADE;
