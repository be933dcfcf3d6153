// How an event's status and its delivery badges look, everywhere the stream shows them.
import { Badge } from "../ui/primitives";

export type DeliveryBadge = { destinationId: string; destination: string; platform: string; badge: string; reason?: string; message?: string; deliveryId?: string; attempts?: number };

const TONE: Record<string, "green" | "amber" | "red" | "indigo" | "slate"> = { delivered: "green", pending: "slate", retrying: "amber", dead: "red", held: "indigo", not_sent: "slate" };
const LABEL: Record<string, string> = { delivered: "delivered", pending: "pending", retrying: "retrying", dead: "dead", held: "held", not_sent: "not sent" };
const REASON: Record<string, string> = { consent: "consent", region: "region", browser_only: "browser only", browser_mode: "browser mode", tag_fired: "tag fired", test_without_code: "no test code", refused: "refused" };

export function DeliveryBadges({ badges }: { badges: DeliveryBadge[] }) {
  if (!badges.length) return <span className="text-xs text-slate-500">none</span>;
  return (
    <ul className="flex flex-wrap gap-1" aria-label="Deliveries">
      {badges.map((b) => (
        <li key={b.destinationId} title={b.message ?? undefined}>
          <Badge tone={TONE[b.badge] ?? "slate"}>
            <span className="mr-1 font-semibold">{b.destination}</span> {LABEL[b.badge] ?? b.badge}
            {b.reason ? ` · ${REASON[b.reason] ?? b.reason}` : ""}
            {b.badge === "retrying" && b.attempts ? ` (${b.attempts})` : ""}
          </Badge>
        </li>
      ))}
    </ul>
  );
}

export function EventStatus({ status, source, errors }: { status: string; source: string; errors: unknown }) {
  if (status === "rejected") {
    const list = Array.isArray(errors) ? (errors as { field?: string; message?: string }[]) : [];
    return (
      <div>
        <Badge tone="red">rejected</Badge>
        {list.length ? (
          <ul className="mt-1 space-y-0.5 text-xs text-red-800">
            {list.slice(0, 3).map((e, i) => (
              <li key={i}>
                {e.field}: {e.message}
              </li>
            ))}
            {list.length > 3 ? <li>and {list.length - 3} more</li> : null}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <div>
      <Badge tone="green">accepted</Badge>
      {source === "both" ? <p className="mt-1 text-xs text-slate-600">browser and server copies merged into this one</p> : null}
    </div>
  );
}

export function consentLabel(consent: unknown): string {
  const c = consent && typeof consent === "object" ? (consent as Record<string, unknown>) : {};
  return typeof c.ad_storage === "string" ? `ads ${c.ad_storage}` : "—";
}
