// What the Install page of an environment shows: the container snippet three ways (plain,
// pinned to the live script with Subresource Integrity, with a CSP nonce), a data-layer
// example in GA4's shape for every event the live version handles — built from that
// version's own triggers and mappings, so pushing it fires the event — and the
// server-side examples for POST /api/v1/events.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import type { Snapshot } from "../versions/snapshot";
import { liveScripts } from "../compiler/serve";
import { builtinOf } from "../config/builtins";

type Json = Record<string, unknown>;

/** A plausible value for a parameter, by its name, else its type. */
function sample(name: string, type: string | undefined, currency: string): unknown {
  const key = name.toLowerCase();
  if (key === "value" || key === "price" || key.endsWith(".value")) return 59.9;
  if (key.includes("currency")) return currency;
  if (key.includes("transaction_id") || key.includes("order_id")) return "1001";
  if (key.includes("item_id") || key.includes("content_id")) return "sku-1";
  if (key.includes("quantity")) return 1;
  if (key.includes("email")) return "ada@example.com";
  if (key.includes("phone")) return "+49 30 1234567";
  switch (type) {
    case "number":
      return 1;
    case "list":
      return ["example"];
    case "boolean":
      return true;
    case "object":
      return {};
    default:
      return "example";
  }
}

/** Sets `path` (a.b, a.items[].id) in `target`, making objects and one-element lists on the way. */
export function setPath(target: Json, path: string, value: unknown): void {
  const parts = path.split(".").filter(Boolean);
  let at: Json = target;
  parts.forEach((part, i) => {
    const last = i === parts.length - 1;
    const list = part.endsWith("[]");
    const key = list ? part.slice(0, -2) : part;
    if (list) {
      if (last) {
        at[key] = Array.isArray(value) ? value : [value];
        return;
      }
      const items = (Array.isArray(at[key]) ? at[key] : (at[key] = [{}])) as Json[];
      if (!items[0] || typeof items[0] !== "object") items[0] = {};
      at = items[0];
      return;
    }
    if (last) at[key] = value;
    else at = (at[key] && typeof at[key] === "object" ? at[key] : (at[key] = {})) as Json;
  });
}

export type EventExample = { event: string; how: "data_layer" | "track"; code: string; unmapped: string[] };

/** For each enabled event of a version: the push (or tagpipe("track")) that fires it, with its mapped parameters filled. */
export function eventExamples(snapshot: Snapshot): EventExample[] {
  const currency = snapshot.site.defaultCurrency;
  const plans = new Map(snapshot.planEvents.map((p) => [p.id, p]));
  const variables = new Map(snapshot.variables.map((v) => [v.id, v]));
  const triggers = new Map(snapshot.triggers.map((t) => [t.id, t]));
  return snapshot.events
    .filter((e) => e.enabled)
    .map((e) => {
      const plan = plans.get(e.planEventId);
      const types = new Map((plan?.parameters ?? []).map((p) => [p.name, p.type]));
      const dataLayerTrigger = e.triggerIds.map((id) => triggers.get(id)).find((t) => t?.type === "data_layer_event" && typeof t.eventName === "string");
      const push: Json = {};
      const params: Json = {};
      const unmapped: string[] = [];
      for (const [param, variableId] of Object.entries(e.mappings)) {
        // A built-in that reads the data layer (Ecommerce value) is filled like a data-layer variable.
        const read = builtinOf(variableId)?.read;
        const v = read ? (read.from === "data_layer" && read.path !== "event" ? { kind: "data_layer", path: read.path } : undefined) : variables.get(variableId);
        const value = sample(param, types.get(param), currency);
        if (v?.kind === "data_layer" && typeof v.path === "string") setPath(push, v.path, value);
        else if (v?.kind === "constant") continue;
        else unmapped.push(param);
        setPath(params, param, value);
      }
      if (dataLayerTrigger) {
        return { event: e.name, how: "data_layer" as const, code: `dataLayer.push(${JSON.stringify({ event: dataLayerTrigger.eventName, ...push }, null, 2)});`, unmapped };
      }
      return { event: e.name, how: "track" as const, code: `tagpipe("track", ${JSON.stringify(e.name)}, ${JSON.stringify(params, null, 2)});`, unmapped: [] };
    });
}

/** A server-side copy of the live version's main event (purchase if it has one), as curl and as Node fetch. */
export function serverExamples(origin: string, snapshot: Snapshot | null): { curl: string; node: string } {
  const currency = snapshot?.site.defaultCurrency ?? "EUR";
  const names = (snapshot?.events ?? []).filter((e) => e.enabled).map((e) => e.name);
  const name = names.includes("purchase") ? "purchase" : (names[0] ?? "purchase");
  const plan = snapshot?.planEvents.find((p) => p.name === name);
  const params: Json = name === "purchase" ? { value: 59.9, currency, order_id: "1001", content_ids: ["sku-1"] } : {};
  for (const p of plan?.parameters ?? []) if (p.required && params[p.name] === undefined) params[p.name] = sample(p.name, p.type, currency);
  const event = { event_id: name === "purchase" ? "order-1001" : `${name}-1001`, name, params, user_data: { email: "ada@example.com", external_id: "cust-42" } };
  const body = JSON.stringify({ events: [event] });
  const curl = [
    `curl -X POST ${origin}/api/v1/events \\`,
    `  -H "Authorization: Bearer $TAGPIPE_SERVER_KEY" -H "content-type: application/json" \\`,
    `  -d '${body}'`,
  ].join("\n");
  const node = [
    `// Node 18+: send the order once it is paid (same event_id as the browser's, so the two merge)`,
    `await fetch("${origin}/api/v1/events", {`,
    `  method: "POST",`,
    `  headers: { authorization: \`Bearer \${process.env.TAGPIPE_SERVER_KEY}\`, "content-type": "application/json" },`,
    `  body: JSON.stringify(${JSON.stringify({ events: [event] }, null, 2).replace(/\n/g, "\n  ")}),`,
    `});`,
  ].join("\n");
  return { curl, node };
}

export async function installInfo(actor: Actor, environmentId: string, origin: string) {
  const db = await prisma();
  const env = await db.environment.findFirst({
    where: { id: environmentId, teamId: actor.teamId },
    include: { version: { select: { number: true, snapshot: true } }, container: { select: { id: true, site: { select: { id: true, name: true } } } } },
  });
  if (!env) throw new NotFoundError("Environment");
  const scripts = await liveScripts([{ id: env.id, scriptHash: env.scriptHash }]);
  const live = scripts.get(env.id) ?? null;
  const snapshot = (env.version?.snapshot ?? null) as unknown as Snapshot | null;
  const src = `${origin}/c/${env.publicKey}.js`;
  return {
    environment: { id: env.id, name: env.name, kind: env.kind, publicKey: env.publicKey, hasServerKey: !!env.serverKeyHash, serverKeyPrefix: env.serverKeyPrefix },
    site: env.container.site,
    containerId: env.container.id,
    liveVersion: env.version?.number ?? null,
    snippets: {
      plain: `<script async src="${src}"></script>`,
      pinned: live ? `<script async src="${origin}/c/${env.publicKey}.${live.hash}.js" integrity="${live.integrity}" crossorigin="anonymous"></script>` : null,
      nonce: `<script async nonce="{{CSP_NONCE}}" src="${src}"></script>`,
    },
    examples: snapshot ? eventExamples(snapshot) : [],
    server: serverExamples(origin, snapshot),
  };
}
