-- The claim of a forwarder round on a delivery (lib/forwarder/worker.ts): rows are leased
-- in a short statement instead of locked by a transaction held open while platform
-- requests are in flight. Nullable without a default: adding it rewrites nothing, and the
-- insert of the collector never writes it.
-- AlterTable
ALTER TABLE "Delivery" ADD COLUMN     "leaseUntil" TIMESTAMP(3);
