// gtm_import_500_tags_ms: the report (preview: parse, convert, plan, diff against the
// draft) plus the apply (the same, then the write in one transaction) of a GTM export of
// 500 tags, on the bench's embedded database; the median of 5. Called by
// scripts/bench-container.ts with its actor and container. Goal: ≤ 2,000 ms.
import type { Actor } from "../../lib/auth/actor";
import { importGtm } from "../../lib/gtm/apply";

const T = (key: string, value: string) => ({ type: "TEMPLATE", key, value });
const LIST = (key: string, rows: [string, string][]) => ({ type: "LIST", key, list: rows.map(([name, value]) => ({ type: "MAP", map: [T("name", name), T("value", value)] })) });

/** A shop-like export: 100 data-layer events, each with a GA4, Meta, TikTok, Google Ads and Universal Analytics tag. */
export function gtmExport(events = 100) {
  const variable = [
    { variableId: "1", name: "DLV value", type: "v", parameter: [T("name", "ecommerce.value")] },
    { variableId: "2", name: "DLV currency", type: "v", parameter: [T("name", "ecommerce.currency")] },
    { variableId: "3", name: "DLV order", type: "v", parameter: [T("name", "ecommerce.transaction_id")] },
    { variableId: "4", name: "DLV items", type: "v", parameter: [T("name", "ecommerce.items")] },
    { variableId: "5", name: "GA4 ID", type: "c", parameter: [T("value", "G-BENCH12345")] },
  ];
  const trigger = Array.from({ length: events }, (_, i) => ({
    triggerId: String(100 + i),
    name: `CE - event_${i}`,
    type: "CUSTOM_EVENT",
    customEventFilter: [{ type: "EQUALS", parameter: [T("arg0", "{{_event}}"), T("arg1", `event_${i}`)] }],
    filter: [{ type: "GREATER", parameter: [T("arg0", "{{DLV value}}"), T("arg1", "0")] }],
  }));
  const params: [string, string][] = [["value", "{{DLV value}}"], ["currency", "{{DLV currency}}"], ["transaction_id", "{{DLV order}}"], ["items", "{{DLV items}}"]];
  const tag = trigger.flatMap((t, i) => [
    { tagId: `${i}1`, name: `GA4 - event_${i}`, type: "gaawe", parameter: [T("eventName", `event_${i}`), T("measurementIdOverride", "{{GA4 ID}}"), LIST("eventParameters", params)], firingTriggerId: [t.triggerId] },
    { tagId: `${i}2`, name: `Meta - event_${i}`, type: "cvt_1_31", parameter: [T("pixelId", "123456789012"), T("eventName", "custom"), T("customEventName", `Event${i}`), LIST("objectPropertyList", params.slice(0, 2))], firingTriggerId: [t.triggerId] },
    { tagId: `${i}3`, name: `TikTok - event_${i}`, type: "html", parameter: [T("html", `<script>ttq.load('CBENCHTIKTOK1234');ttq.track('Event${i}', { value: {{DLV value}}, currency: {{DLV currency}} });</script>`)], firingTriggerId: [t.triggerId] },
    { tagId: `${i}4`, name: `Ads - event_${i}`, type: "awct", parameter: [T("conversionId", "987654321"), T("conversionLabel", `Label${i % 10}x`), T("conversionValue", "{{DLV value}}"), T("currencyCode", "{{DLV currency}}")], firingTriggerId: [t.triggerId] },
    { tagId: `${i}5`, name: `UA - event_${i}`, type: "ua", parameter: [T("trackType", "TRACK_EVENT")], firingTriggerId: [t.triggerId] },
  ]);
  const customTemplate = [{ templateId: "31", name: "Facebook Pixel", galleryReference: { host: "github.com", owner: "facebookarchive", repository: "GoogleTagManager-WebTemplate-For-FacebookPixel" } }];
  return { exportFormatVersion: 2, containerVersion: { container: { publicId: "GTM-BENCH", usageContext: ["WEB"] }, tag, trigger, variable, customTemplate } };
}

export async function benchGtmImport(actor: Actor, containerId: string): Promise<void> {
  const file = gtmExport();
  const runs: number[] = [];
  for (let i = 0; i < 5; i++) {
    // As the API receives it: a JSON body parsed per request.
    const body = JSON.stringify(file);
    const t0 = performance.now();
    const preview = await importGtm(actor, containerId, JSON.parse(body), { mode: "preview", strategy: "replace" });
    const applied = await importGtm(actor, containerId, JSON.parse(body), { mode: "apply", strategy: "replace" });
    runs.push(performance.now() - t0);
    if (preview.gtm.tags !== 500 || !applied.applied) throw new Error("the GTM bench export did not import");
  }
  runs.sort((a, b) => a - b);
  console.log(`gtm_import_500_tags_ms=${runs[2].toFixed(1)}`);
}
