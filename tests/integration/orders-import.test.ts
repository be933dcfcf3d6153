// Backend orders in, over real HTTP against PostgreSQL: a CSV upload with a few bad rows
// imports the rest and reports each bad row; the same file again changes nothing; a
// later file updates status and value; a file malformed as a whole (wrong delimiter,
// missing column, unreadable dates, 5 MB on one line) is refused with a clear reason and
// imports nothing; the JSON API takes batches of up to 1,000, all or nothing, idempotent.
// Emails and phones are stored hashed only.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, expectStatus, newTeam, siteBody, uid, type Team } from "../helpers/api";
import { queryDatabase } from "../helpers/postgres";

const [server] = inject("servers");
const MAPPING = "order_id=Order%20ID&created_at=Created&value=Total&currency=Currency&status=Status&email=Email&phone=Phone&channel=Channel";

function csv(rows: string[][], delimiter = ","): string {
  return rows.map((r) => r.join(delimiter)).join("\n") + "\n";
}
const HEADER = ["Order ID", "Created", "Total", "Currency", "Status", "Email", "Phone", "Channel"];

async function upload(client: Client, siteId: string, body: string | Uint8Array, query = MAPPING) {
  return client.call("POST", `/sites/${siteId}/orders/import?${query}`, undefined, { raw: body, headers: { "content-type": "text/csv" } });
}

async function orderRows(siteId: string) {
  return queryDatabase<{ orderId: string; value: string; status: string; currency: string; emailHash: string | null; phoneHash: string | null; channel: string | null; placedAt: Date }>(
    server.databaseUrl!,
    `SELECT "orderId", value::text AS value, status, currency, "emailHash", "phoneHash", channel, "placedAt" FROM "Order" WHERE "siteId" = $1 ORDER BY "orderId"`,
    [siteId],
  );
}

describe("order import", () => {
  let team: Team;
  let siteId: string;

  beforeAll(async () => {
    team = await newTeam(server.url);
    siteId = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "EUR" })), 201).id;
  });

  it("imports the good rows of a CSV, reports the bad ones, changes nothing on re-upload and updates from a later file", async () => {
    const site = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "EUR" })), 201).id;
    const good = Array.from({ length: 40 }, (_, i) => [`A-${i}`, `2026-12-0${(i % 4) + 1}T10:${String(i).padStart(2, "0")}:00Z`, `${10 + i}.50`, "EUR", "paid", `Buyer.${i}@Example.com`, "+49 30 1234567", "web"]);
    const bad = [
      ["A-bad-1", "05/12/2026", "10.00", "EUR", "paid", "", "", ""],
      ["A-bad-2", "2026-12-01", "ten", "EUR", "paid", "", "", ""],
      ["A-bad-3", "2026-12-01", "10", "EURO", "shipped-ish", "", "", ""],
    ];
    const file = csv([HEADER, ...good.slice(0, 20), bad[0], ...good.slice(20), bad[1], bad[2]]);
    const first = expectStatus(await upload(team.owner, site, file), 201);
    expect(first).toMatchObject({ status: "done", rows: 43, inserted: 40, updated: 0, unchanged: 0, errorRows: 3 });

    const report = expectStatus(await team.owner.get(`/order-imports/${first.id}`), 200);
    expect(report.errors).toEqual([
      { row: 21, column: "Created", message: expect.stringContaining("not an ISO 8601 date") },
      { row: 42, column: "Total", message: expect.stringContaining("not a number") },
      { row: 43, column: "Currency", message: expect.stringContaining("ISO 4217") },
      { row: 43, column: "Status", message: expect.stringContaining("not a known status") },
    ]);
    const download = await team.owner.get(`/order-imports/${first.id}/errors`);
    expect(download.status).toBe(200);
    expect(download.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(download.text.split("\n")[0]).toBe("row,column,problem");
    expect(download.text).toContain("21,Created,");

    const stored = await orderRows(site);
    expect(stored).toHaveLength(40);
    const a7 = stored.find((o) => o.orderId === "A-7")!;
    expect(a7).toMatchObject({ value: "17.5000", status: "paid", currency: "EUR", channel: "web" });
    // The collector's normalization: trimmed, lower-cased, then SHA-256.
    const { createHash } = await import("node:crypto");
    expect(a7.emailHash).toBe(createHash("sha256").update("buyer.7@example.com").digest("hex"));
    expect(a7.phoneHash).toBe(createHash("sha256").update("49301234567").digest("hex"));
    const raw = await queryDatabase(server.databaseUrl!, `SELECT 1 FROM "Order" WHERE "siteId" = $1 AND ("emailHash" ILIKE '%@%' OR "phoneHash" LIKE '+%')`, [site]);
    expect(raw).toHaveLength(0);

    const again = expectStatus(await upload(team.owner, site, file), 201);
    expect(again).toMatchObject({ rows: 43, inserted: 0, updated: 0, unchanged: 40, errorRows: 3 });
    expect(await orderRows(site)).toEqual(stored);

    const later = csv([HEADER, ["A-7", good[7][1], "0", "EUR", "refunded", "", "", ""], ["A-8", good[8][1], "18.50", "EUR", "canceled", "", "", ""], ["A-99", "2026-12-04", "5", "", "", "", "", ""]]);
    expect(expectStatus(await upload(team.owner, site, later), 201)).toMatchObject({ rows: 3, inserted: 1, updated: 2, unchanged: 0, errorRows: 0 });
    const after = await orderRows(site);
    expect(after.find((o) => o.orderId === "A-7")).toMatchObject({ value: "0.0000", status: "refunded", emailHash: a7.emailHash });
    expect(after.find((o) => o.orderId === "A-8")).toMatchObject({ status: "cancelled", value: "18.5000" });
    // No currency column value: the site's default; no status: paid.
    expect(after.find((o) => o.orderId === "A-99")).toMatchObject({ currency: "EUR", status: "paid", value: "5.0000" });
  });

  it("takes a file's last copy of an order id, and order ids and channels with backslashes and tabs as they are", async () => {
    const site = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "EUR" })), 201).id;
    const file = csv([
      HEADER,
      ["D-1", "2026-12-01T10:00:00Z", "10", "EUR", "paid", "", "", "web"],
      ["D\\N", "2026-12-01T11:00:00Z", "20", "EUR", "paid", "", "", "a\tb"],
      ["D-1", "2026-12-01T10:00:00Z", "12", "EUR", "refunded", "", "", ""],
    ]);
    expect(expectStatus(await upload(team.owner, site, file), 201)).toMatchObject({ rows: 3, inserted: 2, updated: 0, unchanged: 1, errorRows: 0 });
    const stored = await orderRows(site);
    expect(stored.map((o) => [o.orderId, o.value, o.status, o.channel])).toEqual([
      ["D-1", "12.0000", "refunded", null],
      ["D\\N", "20.0000", "paid", "a\tb"],
    ]);
  });

  describe("a file malformed as a whole imports nothing", () => {
    const rows = (n: number, date = (i: number) => `2026-12-01T0${i % 9}:00:00Z`) => Array.from({ length: n }, (_, i) => [`M-${uid()}-${i}`, date(i), "10", "EUR", "paid", "", "", ""]);
    const cases: [string, () => string | Uint8Array, RegExp][] = [
      ["wrong delimiter", () => csv([HEADER, ...rows(30)], ";"), /delimiter is not ","/],
      ["missing column", () => csv([HEADER.filter((h) => h !== "Total"), ...rows(30).map((r) => r.filter((_, i) => i !== 2))]), /value → "Total".*not in the file's header/],
      ["bad dates", () => csv([HEADER, ...rows(30, (i) => `${String(i + 1).padStart(2, "0")}/12/2026`)]), /30 of 30 rows have errors/],
      ["5 MB of one line", () => csv([HEADER, ...rows(10), ["X-1", "2026-12-01", "1" + "0".repeat(5 * 1024 * 1024), "EUR", "paid", "", "", ""]]), /longer than 64 KB/],
      ["an unclosed quote", () => csv([HEADER, ...rows(10)]) + 'Q-1,2026-12-01,"10,EUR,paid,,,\n', /never closed|longer than/],
    ];
    it.each(cases)("%s", async (_, body, reason) => {
      const site = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "EUR" })), 201).id;
      const reply = await upload(team.owner, site, body());
      const answer = expectStatus(reply, 422);
      expect(answer.error.code).toBe("file_refused");
      expect(answer.error.message).toMatch(reason);
      expect(answer.error.fields[0].path).toBe("body");
      expect(answer.import.status).toBe("failed");
      expect(await orderRows(site)).toEqual([]);
      const listed = expectStatus(await team.owner.get(`/sites/${site}/orders`), 200);
      expect(listed.orders).toBe(0);
      expect(listed.imports[0]).toMatchObject({ id: answer.import.id, status: "failed", error: answer.error.message });
    });
  });

  it("refuses an upload without the required mapping, naming the field", async () => {
    const body = expectStatus(await upload(team.owner, siteId, csv([HEADER]), "order_id=Order%20ID&created_at=Created"), 422);
    expect(body.error.fields).toContainEqual(expect.objectContaining({ path: "value" }));
  });

  it("takes API batches of up to 1,000, idempotent, all or nothing", async () => {
    const site = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "USD" })), 201).id;
    const orders = Array.from({ length: 1000 }, (_, i) => ({ order_id: `API-${i}`, created_at: "2026-12-03T08:00:00Z", value: i + 0.25, email: `p${i}@example.com` }));
    expect(expectStatus(await team.owner.post(`/sites/${site}/orders`, { orders }), 201)).toMatchObject({ received: 1000, inserted: 1000, updated: 0, unchanged: 0 });
    expect(expectStatus(await team.owner.post(`/sites/${site}/orders`, { orders }), 201)).toMatchObject({ inserted: 0, updated: 0, unchanged: 1000 });
    expect(expectStatus(await team.owner.post(`/sites/${site}/orders`, { orders: [{ ...orders[5], status: "refunded" }] }), 201)).toMatchObject({ updated: 1 });

    const tooMany = expectStatus(await team.owner.post(`/sites/${site}/orders`, { orders: [...orders, orders[0]] }), 422);
    expect(tooMany.error.fields[0].path).toBe("orders");
    const invalid = expectStatus(await team.owner.post(`/sites/${site}/orders`, { orders: [{ order_id: "API-NEW", created_at: "2026-12-03", value: 1 }, { order_id: "API-NEW2", created_at: "yesterday", value: 1 }] }), 422);
    expect(invalid.error.fields).toEqual([{ path: "orders.1.created_at", message: expect.stringContaining("ISO 8601") }]);
    const stored = await orderRows(site);
    expect(stored).toHaveLength(1000);
    expect(stored.find((o) => o.orderId === "API-5")).toMatchObject({ status: "refunded", currency: "USD", value: "5.2500" });
    expect(stored.some((o) => o.orderId === "API-NEW")).toBe(false);
  });

  it("answers 404 for another team's site and import", async () => {
    const other = await newTeam(server.url);
    const own = expectStatus(await upload(team.owner, siteId, csv([HEADER, ["Z-1", "2026-12-01", "1", "EUR", "paid", "", "", ""]])), 201);
    expect((await upload(other.owner, siteId, csv([HEADER]))).status).toBe(404);
    expect((await other.owner.post(`/sites/${siteId}/orders`, { orders: [{ order_id: "x", created_at: "2026-12-01", value: 1 }] })).status).toBe(404);
    expect((await other.owner.get(`/order-imports/${own.id}`)).status).toBe(404);
    expect((await other.owner.get(`/order-imports/${own.id}/errors`)).status).toBe(404);
    expect((await new Client(server.url).get(`/order-imports/${own.id}`)).status).toBe(401);
  });
});
