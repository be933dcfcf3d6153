// The team's key figures per site (the Overview and the Health index): this period
// against the previous one, each site linking to its Health page.
import Link from "next/link";
import type { Counts } from "@/lib/health/report";
import { Table, Td, Th } from "../ui/primitives";
import { COUNT_LABELS } from "./figures";

const NAMES: (keyof Counts)[] = ["received", "accepted", "rejected", "duplicates", "delivered", "failed", "dead"];

export function SiteFigures({ rows }: { rows: { id: string; name: string; current: Counts; previous: Counts }[] }) {
  return (
    <Table>
      <thead>
        <tr>
          <Th>Site</Th>
          {NAMES.map((n) => (
            <Th key={n} className="text-right">{COUNT_LABELS[n]}</Th>
          ))}
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {rows.map((r) => (
          <tr key={r.id}>
            <Td>
              <Link href={`/sites/${r.id}/health`} className="font-medium text-indigo-700 hover:underline">
                {r.name}
              </Link>
            </Td>
            {NAMES.map((n) => (
              <Td key={n} className="text-right tabular-nums">
                {r.current[n].toLocaleString("en-GB")}
                <span className="block text-xs text-slate-500">prev. {r.previous[n].toLocaleString("en-GB")}</span>
              </Td>
            ))}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
