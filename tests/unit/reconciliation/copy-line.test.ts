// The CSV import's lines of COPY text (lib/reconciliation/order-upsert.ts): what a shop's free
// text (order ids, channels) may hold must reach PostgreSQL as it was, and a missing
// value as NULL.
import { describe, expect, it } from "vitest";
import { copyField, copyLine } from "@/lib/reconciliation/order-upsert";

describe("COPY text", () => {
  it("escapes backslash, tab and line breaks; NULL as \\N", () => {
    expect(copyField("A-1")).toBe("A-1");
    expect(copyField(null)).toBe("\\N");
    expect(copyField("a\\b")).toBe("a\\\\b");
    expect(copyField("a\tb\nc\rd")).toBe("a\\tb\\nc\\rd");
    // The text \N itself is data, not NULL.
    expect(copyField("\\N")).toBe("\\\\N");
  });
  it("one line per order: row number, the fields in the staging table's order", () => {
    const line = copyLine(7, { orderId: "O\t1", placedAt: new Date(Date.UTC(2026, 11, 5, 14, 30)), value: "10.50", currency: "EUR", status: "refunded", emailHash: "ab".repeat(32), phoneHash: null, channel: null });
    expect(line).toBe(`7\tO\\t1\t2026-12-05T14:30:00.000Z\t10.50\tEUR\trefunded\t${"ab".repeat(32)}\t\\N\t\\N\n`);
  });
});
