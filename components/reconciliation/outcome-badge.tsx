// One order at one destination, as a badge: the outcome, and the reason where it was not sent.
import { Badge } from "../ui/primitives";

const TONES = { delivered: "green", ignored: "slate", pending: "amber", rejected: "red", missing: "red" } as const;
const REASONS: Record<string, string> = { consent: "consent", region: "region", test: "test environment", no_click_id: "no click id", refused: "platform would refuse" };

export function OutcomeBadge({ outcome, reason, duplicated, mismatch }: { outcome: keyof typeof TONES; reason?: string; duplicated?: boolean; mismatch?: unknown }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      <Badge tone={TONES[outcome]}>{outcome === "ignored" ? `not sent: ${REASONS[reason ?? ""] ?? reason}` : outcome}</Badge>
      {duplicated ? <Badge tone="amber">counted twice</Badge> : null}
      {mismatch ? <Badge tone="amber">value mismatch</Badge> : null}
    </span>
  );
}
