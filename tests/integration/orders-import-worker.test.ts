// The CSV import's worker thread (lib/reconciliation/import-csv.ts), driven in-process
// against the test server's database: a worker that dies — here past its memory limit —
// fails the import as a whole with a message, the upload is still read to its end (no
// hung request), and no order is left behind. The route's own paths (good file, refused
// file, re-upload) run over HTTP in orders-import.test.ts.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { expectStatus, newTeam, siteBody, type Team } from "../helpers/api";
import { queryDatabase } from "../helpers/postgres";
import { IMPORT_WORKER_LIMITS, runImportWorker } from "@/lib/reconciliation/import-csv";

const [server] = inject("servers");

function csvStream(rows: number): { body: ReadableStream<Uint8Array>; bytes: number } {
  const lines = ["order_id,created_at,total"];
  for (let i = 0; i < rows; i++) lines.push(`W-${i},2026-11-01T10:00:00Z,${(i % 90) + 10}.50`);
  const data = new TextEncoder().encode(lines.join("\n") + "\n");
  let at = 0;
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (at >= data.length) return controller.close();
      controller.enqueue(data.subarray(at, at + 16 * 1024));
      at += 16 * 1024;
    },
  });
  return { body, bytes: data.length };
}

describe("order import worker", () => {
  let team: Team;
  let site: { id: string; teamId: string; name: string; defaultCurrency: string };

  beforeAll(async () => {
    team = await newTeam(server.url);
    const created = expectStatus(await team.owner.post("/sites", siteBody({ defaultCurrency: "EUR" })), 201);
    site = { id: created.id, teamId: team.teamId, name: created.name, defaultCurrency: "EUR" };
  });

  it("fails the import whole when the worker runs out of its memory, reading the upload to the end", async () => {
    const { body, bytes } = csvStream(50_000);
    const [record] = await queryDatabase<{ id: string }>(
      server.databaseUrl!,
      `INSERT INTO "OrderImport" (id, "teamId", "siteId", source) VALUES ('wt' || md5(random()::text), $1, $2, 'csv') RETURNING id`,
      [site.teamId, site.id],
    );
    const job = {
      site,
      importId: record.id,
      actor: { teamId: site.teamId, role: "owner" as const, label: "test", userId: team.userId, tokenId: null },
      mapping: { order_id: "order_id", created_at: "created_at", value: "total" },
      delimiter: ",",
      fileName: null,
      databaseUrl: server.databaseUrl!,
    };
    const result = await runImportWorker(job, body, { maxOldGenerationSizeMb: 4, maxYoungGenerationSizeMb: 1 }, () => {});
    expect(result.outcome).toEqual({ type: "failed", message: expect.stringMatching(/ran out of the memory .*nothing was imported/) });
    expect(result.bytes).toBe(bytes);
    const orders = await queryDatabase<{ n: number }>(server.databaseUrl!, `SELECT count(*)::int AS n FROM "Order" WHERE "siteId" = $1`, [site.id]);
    expect(orders[0].n).toBe(0);

    // The same file with the worker's real limits goes in whole: the failure above was the limit's.
    const again = csvStream(50_000);
    const done = await runImportWorker(job, again.body, IMPORT_WORKER_LIMITS, () => {});
    expect(done.outcome).toMatchObject({ type: "done", rows: 50_000, errorRows: 0, totals: { inserted: 50_000, updated: 0, unchanged: 0 } });
  });
});
