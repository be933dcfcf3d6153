// GTM tags Tagpipe can read, each turned into "hits": a platform, its public ids, the
// event name the tag sent (null: the trigger's data-layer event decides) and its
// parameters in Tagpipe's names. Recognized: GA4 event tags (gaawe), the Google tag
// (googtag, and the older GA4 configuration tag gaawc), Google Ads conversion tracking
// (awct), the Meta and TikTok community templates (by their gallery reference), and
// Custom HTML whose code is nothing but a Meta or TikTok pixel's snippet and calls.
import { isTrue, param, table, type GtmTag, type GtmTemplate } from "./model";

export type Platform = "ga4" | "google_ads" | "meta" | "tiktok";
export type ParamSource = { kind: "value"; value: string } | { kind: "path"; path: string };
export type Hit = { platform: Platform; ids: Record<string, string>; event: string | null; params: [string, ParamSource][]; dropped: string[] };
export type Recognized = { hits: Hit[]; changes: string[] } | { refused: string };

export type TagContext = {
  templates: Map<string, GtmTemplate>;
  /** The Google tags (googtag, gaawc) by tag name → measurement id: gaawe tags point at them. */
  googleTagIds: Map<string, string>;
  /** A value as plain text, or the text of the constant it references; undefined otherwise. */
  constantOf: (value: string) => string | undefined;
  /** Pixels whose base code some Custom HTML tag of the file loads: track calls in other tags use them. */
  pixels: { meta: string[]; tiktok: string[] };
};

/** The Meta and TikTok pixels the file's Custom HTML tags load (fbq('init', …), ttq.load(…)). */
export function loadedPixels(tags: GtmTag[]): TagContext["pixels"] {
  const html = tags.filter((t) => t.type === "html" && !t.paused).map((t) => (param(t.parameter, "html") ?? "").slice(0, MAX_HTML));
  const all = (re: RegExp) => [...new Set(html.flatMap((h) => [...h.matchAll(re)].map((m) => m[1])))];
  return { meta: all(META_INIT), tiktok: all(TIKTOK_LOAD) };
}

/** The community templates Tagpipe recognizes, by gallery reference (github.com owner/repository). */
export const GALLERY_TEMPLATES: { platform: "meta" | "tiktok"; owner: RegExp; repository: RegExp; label: string }[] = [
  { platform: "meta", owner: /^facebook(archive|incubator)$/i, repository: /facebookpixel/i, label: "Meta's Facebook Pixel template" },
  { platform: "tiktok", owner: /^tiktok$/i, repository: /pixel/i, label: "TikTok's pixel template" },
];

/** Each platform's parameter names → Tagpipe's; the rest are not sent by Tagpipe's tags. */
const PARAMETERS: Record<Platform, Record<string, string>> = {
  ga4: { value: "value", currency: "currency", transaction_id: "order_id", items: "contents", search_term: "search_string" },
  google_ads: { conversionValue: "value", currencyCode: "currency", orderId: "order_id" },
  meta: { value: "value", currency: "currency", content_ids: "content_ids", contents: "contents", num_items: "num_items", order_id: "order_id", search_string: "search_string" },
  tiktok: { value: "value", currency: "currency", content_id: "content_ids", content_ids: "content_ids", contents: "contents", order_id: "order_id", query: "search_string" },
};
const SENT: Record<Platform, string> = {
  ga4: "value, currency, transaction_id and items",
  google_ads: "value, currency and the order id",
  meta: "value, currency, content_ids, contents, num_items, order_id and search_string",
  tiktok: "value, currency, content_id, contents, order_id and query",
};

const MEASUREMENT_ID = /^G-[A-Z0-9]{4,20}$/;
/** Pixel snippets are a few KB; longer code is something else, and the patterns need not scan it. */
const MAX_HTML = 20_000;

function mapParams(platform: Platform, rows: [string, string][]): { params: [string, ParamSource][]; dropped: string[] } {
  const params: [string, ParamSource][] = [];
  const dropped: string[] = [];
  for (const [name, value] of rows) {
    const tagpipe = PARAMETERS[platform][name];
    if (tagpipe) params.push([tagpipe, { kind: "value", value }]);
    else dropped.push(`parameter ${name} is not sent: Tagpipe's ${platform === "ga4" ? "GA4" : platform === "meta" ? "Meta" : platform === "tiktok" ? "TikTok" : "Google Ads"} tag sends ${SENT[platform]}`);
  }
  return { params, dropped };
}

const rowsOf = (rows: Record<string, string>[], name: string[], value: string[]): [string, string][] =>
  rows.map((r) => [name.map((k) => r[k]).find((x) => x !== undefined) ?? "", value.map((k) => r[k]).find((x) => x !== undefined) ?? ""] as [string, string]).filter(([n]) => n);

export function recognizeTag(tag: GtmTag, ctx: TagContext): Recognized {
  const p = tag.parameter;
  switch (tag.type) {
    case "googtag":
    case "gaawc": {
      const id = ctx.constantOf(param(p, tag.type === "googtag" ? "tagId" : "measurementId") ?? "");
      if (!id) return { refused: "its measurement id is not plain text or a constant" };
      if (/^AW-/.test(id)) return { hits: [], changes: ["a Google tag for Google Ads: the Google Ads destinations come from the conversion tags"] };
      if (!MEASUREMENT_ID.test(id)) return { refused: `${id} is not a GA4 measurement id (G-…)` };
      const settings = table(p, "configSettingsTable");
      const noPageView = param(p, "sendPageView") === "false" || settings.some((r) => r.parameter === "send_page_view" && r.parameterValue === "false");
      return noPageView ? { hits: [], changes: [] } : { hits: [{ platform: "ga4", ids: { measurementId: id }, event: "page_view", params: [], dropped: [] }], changes: [] };
    }
    case "gaawe": {
      const override = param(p, "measurementIdOverride");
      const reference = param(p, "measurementId");
      const id = override ? ctx.constantOf(override) : reference ? (ctx.googleTagIds.get(reference) ?? ctx.constantOf(reference)) : undefined;
      if (!id || !MEASUREMENT_ID.test(id)) return { refused: `its measurement id ${JSON.stringify(override ?? reference ?? "")} does not resolve to a GA4 measurement id (G-…)` };
      const rawEvent = param(p, "eventName") ?? "";
      const dynamic = /^\{\{\s*(Event|_event)\s*\}\}$/.test(rawEvent);
      const event = dynamic ? null : (ctx.constantOf(rawEvent) ?? null);
      if (!dynamic && !event) return { refused: `its event name ${JSON.stringify(rawEvent)} is neither plain text nor the data-layer event` };
      const changes = dynamic ? ["its event name is the data-layer event ({{Event}}): each firing trigger's event becomes a Tagpipe event"] : [];
      const { params, dropped } = mapParams("ga4", rowsOf([...table(p, "eventParameters"), ...table(p, "eventSettingsTable")], ["name", "parameter"], ["value", "parameterValue"]));
      if (isTrue(param(p, "sendEcommerceData")) && (param(p, "getEcommerceDataFrom") ?? "dataLayer") === "dataLayer") {
        changes.push("ecommerce data from the data layer: value, currency, transaction_id and items are read from ecommerce.*");
        for (const [tp, path] of [["value", "ecommerce.value"], ["currency", "ecommerce.currency"], ["order_id", "ecommerce.transaction_id"], ["contents", "ecommerce.items"]] as const) {
          if (!params.some(([n]) => n === tp)) params.push([tp, { kind: "path", path }]);
        }
      }
      const userProperties = table(p, "userProperties");
      if (userProperties.length) dropped.push(`user properties (${userProperties.map((r) => r.name).join(", ")}) are not sent: Tagpipe's GA4 destination sends event parameters only`);
      return { hits: [{ platform: "ga4", ids: { measurementId: id }, event, params, dropped }], changes };
    }
    case "awct": {
      const rawId = ctx.constantOf(param(p, "conversionId") ?? "") ?? "";
      const label = ctx.constantOf(param(p, "conversionLabel") ?? "") ?? "";
      const conversionId = /^\d{6,15}$/.test(rawId) ? `AW-${rawId}` : rawId;
      if (!/^AW-\d{6,15}$/.test(conversionId)) return { refused: `its conversion id ${JSON.stringify(rawId)} is not plain text or a constant of digits` };
      if (!label) return { refused: "its conversion label is not plain text or a constant" };
      const rows: [string, string][] = (["conversionValue", "currencyCode", "orderId"] as const).flatMap((k) => (param(p, k) ? [[k, param(p, k)!] as [string, string]] : []));
      const { params, dropped } = mapParams("google_ads", rows);
      return {
        hits: [{ platform: "google_ads", ids: { conversionId, conversionLabel: label }, event: null, params, dropped }],
        changes: ["Google Ads needs the Customer ID and the Conversion action ID for its server side, which a GTM tag does not hold: fill them in on the destination"],
      };
    }
    case "ua":
      return { refused: "Universal Analytics stopped processing data in July 2023: use GA4" };
    case "html":
      return recognizeHtml(param(p, "html") ?? "", ctx.pixels);
    case "gclidw":
      return { refused: "the Conversion Linker is not needed: Tagpipe keeps ad click ids (gclid, fbclid, ttclid) itself" };
    case "img":
      return { refused: "custom image tags: add an image pixel destination by hand (its URL template differs)" };
    case "sp":
      return { refused: "Google Ads remarketing has no Tagpipe destination yet" };
    default: {
      if (tag.type.startsWith("cvt_")) return recognizeTemplate(tag, ctx);
      return { refused: `tag type ${JSON.stringify(tag.type)} has no Tagpipe equivalent` };
    }
  }
}

function recognizeTemplate(tag: GtmTag, ctx: TagContext): Recognized {
  const template = [...ctx.templates.values()].find((t) => t.id && (tag.type === `cvt_${t.id}` || tag.type.endsWith(`_${t.id}`)));
  if (!template) return { refused: "a custom template that is not in the file" };
  const g = template.gallery;
  const known = g && /github\.com$/i.test(g.host) ? GALLERY_TEMPLATES.find((k) => k.owner.test(g.owner) && k.repository.test(g.repository)) : undefined;
  if (!known) return { refused: `the template "${template.name}"${g ? ` (${g.owner}/${g.repository})` : " (not from the gallery)"} is not one Tagpipe recognizes: it runs code Tagpipe cannot read` };
  const p = tag.parameter;
  const changes = [`${known.label} becomes a ${known.platform === "meta" ? "Meta" : "TikTok"} destination`];
  const rows = rowsOf([...table(p, "objectPropertyList"), ...table(p, "eventParameters"), ...table(p, "event_parameters")], ["name", "key", "parameter"], ["value", "parameterValue"]);
  if (known.platform === "meta") {
    const ids = (ctx.constantOf(param(p, "pixelId") ?? "") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    if (!ids.length || ids.some((id) => !/^\d{6,20}$/.test(id))) return { refused: `its pixel id ${JSON.stringify(param(p, "pixelId") ?? "")} is not plain digits or a constant` };
    const custom = param(p, "eventName") === "custom";
    const event = ctx.constantOf(param(p, custom ? "customEventName" : "standardEventName") ?? "");
    if (!event) return { refused: "its event name is not plain text or a constant" };
    const { params, dropped } = mapParams("meta", rows);
    if (ids.length > 1) changes.push(`its ${ids.length} pixels become one destination each`);
    return { hits: ids.map((pixelId) => ({ platform: "meta" as const, ids: { pixelId }, event, params, dropped })), changes };
  }
  const pixel = ctx.constantOf(param(p, "pixelId") ?? param(p, "pixel_code") ?? param(p, "pixelCode") ?? "") ?? "";
  if (!/^[A-Z0-9]{10,30}$/.test(pixel)) return { refused: `its pixel code ${JSON.stringify(pixel)} is not plain text or a constant` };
  const event = ctx.constantOf(param(p, "event") ?? param(p, "eventName") ?? param(p, "event_name") ?? param(p, "customEventName") ?? "");
  if (!event) return { refused: "its event name is not plain text or a constant" };
  const { params, dropped } = mapParams("tiktok", rows);
  return { hits: [{ platform: "tiktok", ids: { pixelCode: pixel }, event, params, dropped }], changes };
}

// ---- Custom HTML ----------------------------------------------------------------------

const META_LOADER = /!function\s*\(f,\s*b,\s*e,\s*v,\s*n,\s*t,\s*s\)[\s\S]*?fbevents\.js['"]\s*\)\s*;?/g;
const TIKTOK_LOADER = /!function\s*\(w,\s*d,\s*t\)\s*\{[\s\S]*\}\s*\(\s*window\s*,\s*document\s*,\s*['"]ttq['"]\s*\)\s*;?/g;
const META_INIT = /fbq\(\s*['"]init['"]\s*,\s*['"](\d{6,20})['"]\s*(?:,\s*\{[^{}]*\})?\s*\)\s*;?/g;
// A parameter object: plain values and GTM's {{Variable}} references, nothing nested.
const OBJECT = String.raw`\{(?:[^{}]|\{\{[^{}]*\}\})*\}`;
const META_TRACK = new RegExp(String.raw`fbq\(\s*['"](track|trackCustom)['"]\s*,\s*['"]([A-Za-z][\w ]{0,49})['"]\s*(?:,\s*(${OBJECT})\s*)?(?:,\s*${OBJECT}\s*)?\)\s*;?`, "g");
const TIKTOK_LOAD = /ttq\.load\(\s*['"]([A-Z0-9]{10,30})['"]\s*\)\s*;?/g;
const TIKTOK_PAGE = /ttq\.page\(\s*\)\s*;?/g;
const TIKTOK_TRACK = new RegExp(String.raw`ttq\.track\(\s*['"]([A-Za-z]\w{0,49})['"]\s*(?:,\s*(${OBJECT})\s*)?(?:,\s*${OBJECT}\s*)?\)\s*;?`, "g");

/** `{ value: {{DLV - value}}, currency: 'EUR' }` → rows; null when it is anything more than that. */
function objectLiteral(body: string): [string, string][] | null {
  const inner = body.trim().replace(/^\{|\}$/g, "").trim();
  if (!inner) return [];
  const rows: [string, string][] = [];
  for (const part of inner.split(",").map((s) => s.trim()).filter(Boolean)) {
    const m = /^['"]?([A-Za-z_]\w*)['"]?\s*:\s*(.+)$/.exec(part);
    if (!m) return null;
    let value = m[2].trim().replace(/^\[\s*(.*?)\s*\]$/, "$1");
    const quoted = /^(['"])(.*)\1$/.exec(value);
    if (quoted) value = quoted[2];
    else if (!/^\{\{[^{}]+\}\}$/.test(value) && !/^-?\d+(\.\d+)?$/.test(value)) return null;
    rows.push([m[1], value]);
  }
  return rows;
}

function recognizeHtml(html: string, loaded: TagContext["pixels"]): Recognized {
  if (html.length > MAX_HTML) return { refused: `Custom HTML of ${html.length} characters is not a pixel call: Tagpipe runs no custom code` };
  const code = html.replace(/<!--[\s\S]*?-->/g, "").replace(/<noscript>[\s\S]*?<\/noscript>/gi, "").replace(/<\/?script[^>]*>/gi, "");
  const hits: Hit[] = [];
  const metaIds = [...code.matchAll(META_INIT)].map((m) => m[1]);
  const tiktokIds = [...code.matchAll(TIKTOK_LOAD)].map((m) => m[1]);
  const calls: { platform: "meta" | "tiktok"; event: string | null; body?: string }[] = [
    ...[...code.matchAll(META_TRACK)].map((m) => ({ platform: "meta" as const, event: m[2], body: m[3] })),
    ...[...code.matchAll(TIKTOK_TRACK)].map((m) => ({ platform: "tiktok" as const, event: m[1], body: m[2] })),
    // ttq.page(): the page view (Tagpipe's TikTok tag calls page() for page-view events).
    ...[...code.matchAll(TIKTOK_PAGE)].map(() => ({ platform: "tiktok" as const, event: null })),
  ];
  // What is left once the snippets and the recognized calls are gone must be nothing.
  const rest = [META_LOADER, TIKTOK_LOADER, META_INIT, META_TRACK, TIKTOK_LOAD, TIKTOK_PAGE, TIKTOK_TRACK].reduce((s, re) => s.replace(re, ""), code).replace(/[\s;]/g, "");
  if (!calls.length) return { refused: "Custom HTML that is not a recognizable pixel call: Tagpipe runs no custom code (only plain fbq('track', …) and ttq.track(…) calls are read)" };
  if (rest) return { refused: `Custom HTML with code beside its pixel calls (${JSON.stringify(rest.slice(0, 60))}…): Tagpipe runs no custom code` };
  const changes = ["Custom HTML becomes a destination: Tagpipe's own tag makes the same pixel call (no custom code runs)"];
  for (const call of calls) {
    const rows = call.body ? objectLiteral(call.body) : [];
    if (rows === null) return { refused: `the parameters of ${call.event ?? "the page view"} are computed by code: Tagpipe reads a plain { key: value } object only` };
    const own = call.platform === "meta" ? metaIds : tiktokIds;
    const elsewhere = loaded[call.platform];
    const pixelIds = own.length ? own : [...elsewhere];
    if (!own.length && elsewhere.length) changes.push(`the ${call.event ?? "page view"} call goes to the pixel another tag's base code loads (${elsewhere.join(", ")})`);
    if (!pixelIds.length) {
      changes.push(`the ${call.event ?? "page view"} call names no pixel, and no tag of the file loads one: ${call.platform === "meta" ? "the Meta" : "the TikTok"} destination needs its id filled in`);
      pixelIds.push("");
    }
    const { params, dropped } = mapParams(call.platform, rows);
    for (const id of pixelIds) {
      hits.push({ platform: call.platform, ids: id ? (call.platform === "meta" ? { pixelId: id } : { pixelCode: id }) : {}, event: call.event, params, dropped });
    }
  }
  return { hits, changes };
}
