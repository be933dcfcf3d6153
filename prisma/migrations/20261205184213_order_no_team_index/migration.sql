-- DropIndex
DROP INDEX "Order_teamId_idx";
