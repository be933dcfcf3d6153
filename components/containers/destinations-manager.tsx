"use client";
import { EntityList, type Owner } from "./entity-list";
import { DELIVERY_MODE_LABELS, DestinationEditor, PLATFORM_LABELS, type DestinationRow } from "./destination-editor";
import { FILL_IN } from "@/lib/platforms/delivery-mode";
import { Badge } from "../ui/primitives";

type EventChoice = { id: string; name: string; platformNames: Record<string, string> };

export function DestinationsManager({ initialField, containerId, initialEditing, destinations, events, regions, owners, canWrite }: { containerId: string; destinations: DestinationRow[]; events: EventChoice[]; regions: string[]; owners: Owner[]; canWrite: boolean; initialEditing?: string; initialField?: string }) {
  const eventName = (id: string) => events.find((e) => e.id === id)?.name ?? "missing event";
  const choices = events.map((e) => ({ id: e.id, name: e.name, platformName: (p: string) => e.platformNames[p] }));
  return (
    <EntityList
      initialEditing={initialEditing}
        initialField={initialField}
      noun="destination"
      items={destinations}
      owners={owners}
      canWrite={canWrite}
      deletePath={(d) => `/destinations/${d.id}`}
      emptyText="A destination is where conversions go: Meta, TikTok, GA4, Google Ads, an image pixel or a webhook."
      summary={(d) => (
        <div className="space-y-1">
          <p className="flex flex-wrap items-center gap-2">
            <Badge tone="indigo">{PLATFORM_LABELS[d.definition.platform]}</Badge>
            {Object.entries(d.definition.ids).map(([k, v]) => (
              <span key={k} className="font-mono text-xs">
                {k}: {v}
              </span>
            ))}
            {d.secretsSet.length ? <Badge tone="green">secrets set: {d.secretsSet.join(", ")}</Badge> : null}
          </p>
          <p className="text-xs text-slate-600">
            Events: {d.definition.events.length ? d.definition.events.map((e) => `${eventName(e.eventId)}${e.name ? ` → ${e.name}` : ""}`).join(", ") : "none"} · Regions:{" "}
            {d.definition.regions === null ? "all" : d.definition.regions.join(", ") || "none"} · Non-production: {d.definition.nonProduction === "hold" ? "held" : "test events"}
            {FILL_IN[d.definition.platform] ? ` · Reported by: ${DELIVERY_MODE_LABELS[d.definition.deliveryMode ?? "browser_fill_in"]}` : ""}
          </p>
        </div>
      )}
      editor={(d, close) => <DestinationEditor containerId={containerId} destination={d} events={choices} regions={regions} owners={owners} onClose={close} />}
    />
  );
}
