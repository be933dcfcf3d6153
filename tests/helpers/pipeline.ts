// A site whose container has a published version, made through the REST API as a
// marketer would: the purchase (and sign_up) plan events, variables, container events
// mapping value/currency/order_id/content_ids, destinations pointing at the stand-ins,
// a version published to production and staging, and a server key per environment.
// Plus the two ways events come in: the browser beacon and the server API.
import { randomUUID } from "node:crypto";
import { expect } from "vitest";
import { expectStatus, newTeam, uid, type Json, type Team } from "./api";
import type { StandIns } from "./stand-ins";

export type DestinationSpec =
  | { platform: "meta"; pixelId?: string; accessToken?: string | null; testEventCode?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "tiktok"; pixelCode?: string; accessToken?: string; testEventCode?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "ga4"; measurementId?: string; apiSecret?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "google_ads"; conversionId?: string; conversionLabel?: string; customerId?: string; conversionActionId?: string; loginCustomerId?: string; refreshToken?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "pinterest"; tagId?: string; adAccountId?: string; accessToken?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "snapchat"; pixelId?: string; accessToken?: string; nonProduction?: "test" | "hold"; regions?: string[] }
  | { platform: "webhook"; url: string; signingSecret: string; nonProduction?: "test" | "hold"; regions?: string[] };

export type Pipeline = {
  team: Team;
  siteId: string;
  containerId: string;
  hostname: string;
  /** Origin header a page of the site sends. */
  origin: string;
  production: { id: string; publicKey: string; serverKey: string };
  staging: { id: string; publicKey: string; serverKey: string };
  destinations: Record<string, { id: string; platform: string }>;
  versionId: string;
};

/** The destinations most specs use: every platform, each at its stand-in. */
export function allDestinations(standIns: StandIns, webhookSecret = `whsec-${uid()}`): DestinationSpec[] {
  standIns.webhook.webhookSecret = webhookSecret;
  return [
    { platform: "meta", testEventCode: "TEST4242" },
    { platform: "tiktok", testEventCode: "TEST7777" },
    { platform: "ga4" },
    { platform: "google_ads" },
    { platform: "webhook", url: `${standIns.webhook.url}/hooks/${uid()}`, signingSecret: webhookSecret },
  ];
}

function destinationBody(spec: DestinationSpec, eventIds: string[]) {
  const common = { events: eventIds.map((eventId) => ({ eventId })), ...(spec.nonProduction ? { nonProduction: spec.nonProduction } : {}), ...(spec.regions ? { regions: spec.regions } : {}) };
  switch (spec.platform) {
    case "meta":
      return {
        definition: { platform: "meta", ids: { pixelId: spec.pixelId ?? "1234567890" }, ...(spec.testEventCode ? { testEventCode: spec.testEventCode } : {}), ...common },
        secrets: spec.accessToken === null ? {} : { accessToken: spec.accessToken ?? "EAAB-meta-token" },
      };
    case "tiktok":
      return {
        definition: { platform: "tiktok", ids: { pixelCode: spec.pixelCode ?? "C4TIKTOKPIXEL01" }, ...(spec.testEventCode ? { testEventCode: spec.testEventCode } : {}), ...common },
        secrets: { accessToken: spec.accessToken ?? "tt-access-token" },
      };
    case "ga4":
      return { definition: { platform: "ga4", ids: { measurementId: spec.measurementId ?? "G-TESTMEASURE1" }, ...common }, secrets: { apiSecret: spec.apiSecret ?? "ga4-api-secret" } };
    case "google_ads":
      return {
        definition: {
          platform: "google_ads",
          ids: {
            conversionId: spec.conversionId ?? "AW-123456789",
            conversionLabel: spec.conversionLabel ?? "AbCdEfGh12",
            customerId: spec.customerId ?? "123-456-7890",
            conversionActionId: spec.conversionActionId ?? "424242424",
            ...(spec.loginCustomerId ? { loginCustomerId: spec.loginCustomerId } : {}),
          },
          ...common,
        },
        // The OAuth client the stand-in's token endpoint knows (StandIn.oauthClient).
        secrets: { developerToken: "dev-token", clientId: "ads-client.apps.googleusercontent.com", clientSecret: "ads-client-secret", refreshToken: spec.refreshToken ?? "1//ads-refresh-token" },
      };
    case "pinterest":
      return {
        definition: { platform: "pinterest", ids: { tagId: spec.tagId ?? "2612345678901", adAccountId: spec.adAccountId ?? "549755885175" }, ...common },
        secrets: { accessToken: spec.accessToken ?? "pina-conversions-token" },
      };
    case "snapchat":
      return {
        definition: { platform: "snapchat", ids: { pixelId: spec.pixelId ?? "4f1c2b3a-5d6e-4f70-8a9b-0c1d2e3f4a5b" }, ...common },
        secrets: { accessToken: spec.accessToken ?? "snap-capi-token" },
      };
    case "webhook":
      return { definition: { platform: "webhook", ids: { url: spec.url }, ...common }, secrets: { signingSecret: spec.signingSecret } };
  }
}

/** Builds and publishes the pipeline for a new team; `team` reuses one (one team per server is cheaper). */
/** `hostname`: the site's (a page served on 127.0.0.1 sends its beacons from there); default a fresh one. */
export async function createPipeline(base: string, destinations: DestinationSpec[], options: { team?: Team; regions?: Json[]; hostname?: string } = {}): Promise<Pipeline> {
  const team = options.team ?? (await newTeam(base));
  const api = team.owner;
  const hostname = options.hostname ?? `shop-${uid()}.example.com`;
  const site = expectStatus(await api.post("/sites", { name: `Shop ${uid()}`, hostnames: [hostname], defaultCurrency: "EUR", ...(options.regions ? { regions: options.regions } : {}) }), 201);
  const containerId: string = site.container.id;

  // Plan events are the team's; a reused team has them already.
  const plan = expectStatus(await api.get("/plan/events"), 200).data as Json[];
  const planEvent = async (preset: string) =>
    plan.find((p) => p.name === preset) ?? expectStatus(await api.post("/plan/events", { preset }), 201);
  const purchase = await planEvent("purchase");
  const signUp = await planEvent("sign_up");

  const variable = async (name: string, path: string) =>
    expectStatus(await api.post(`/containers/${containerId}/variables`, { name, definition: { kind: "data_layer", path } }), 201).id as string;
  const mappings = {
    value: await variable("value", "ecommerce.value"),
    currency: await variable("currency", "ecommerce.currency"),
    order_id: await variable("order id", "ecommerce.transaction_id"),
    content_ids: await variable("content ids", "ecommerce.items[].item_id"),
    "user_data.email": await variable("email", "user.email"),
  };
  const trigger = expectStatus(await api.post(`/containers/${containerId}/triggers`, { name: "purchase pushed", definition: { type: "data_layer_event", eventName: "purchase" } }), 201);
  const purchaseEvent = expectStatus(await api.post(`/containers/${containerId}/events`, { planEventId: purchase.id, triggerIds: [trigger.id], mappings }), 201);
  const signUpEvent = expectStatus(await api.post(`/containers/${containerId}/events`, { planEventId: signUp.id, mappings: {} }), 201);

  const created: Pipeline["destinations"] = {};
  for (const spec of destinations) {
    const body = destinationBody(spec, [purchaseEvent.id, signUpEvent.id]);
    const d = expectStatus(await api.post(`/containers/${containerId}/destinations`, { name: `${spec.platform} ${uid()}`, ...body }), 201);
    created[spec.platform] = { id: d.id, platform: spec.platform };
  }

  const version = expectStatus(await api.post(`/containers/${containerId}/versions`, { note: "collector tests" }), 201);
  const environments = site.container.environments as Json[];
  const env = async (kind: string) => {
    const e = environments.find((x) => x.kind === kind);
    expectStatus(await api.post(`/versions/${version.id}/publish`, { environmentId: e.id }), 201);
    const rotated = expectStatus(await api.patch(`/environments/${e.id}`, { rotateServerKey: true }), 200);
    expect(rotated.serverKey).toMatch(/^tps_/);
    return { id: e.id as string, publicKey: e.publicKey as string, serverKey: rotated.serverKey as string };
  };
  return {
    team,
    siteId: site.id,
    containerId,
    hostname,
    origin: `https://${hostname}`,
    production: await env("production"),
    staging: await env("staging"),
    destinations: created,
    versionId: version.id,
  };
}

export type EventBody = Record<string, unknown> & { event_id: string; name: string; params: Record<string, unknown> };

/** A valid purchase with a unique event_id, order_id and buyer email (the platforms need an identifier). */
export function purchase(overrides: Partial<EventBody> = {}): EventBody {
  const id = randomUUID();
  const { params, ...rest } = overrides;
  return {
    event_id: id,
    name: "purchase",
    params: { value: 49.9, currency: "EUR", order_id: `o-${id}`, content_ids: ["sku-1", "sku-2"], contents: [{ id: "sku-1", quantity: 1, price: 19.9 }, { id: "sku-2", quantity: 1, price: 30 }], ...params },
    user_data: { email: `buyer-${id.slice(0, 8)}@example.com` },
    ...rest,
  };
}

export type CollectReply = { status: number; body: Json; text: string; headers: Headers };

async function reply(response: Response): Promise<CollectReply> {
  const text = await response.text();
  let body: Json = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = text;
  }
  return { status: response.status, body, text, headers: response.headers };
}

/** The browser beacon: text/plain, the environment's public key, the site's Origin. */
export async function collect(base: string, p: { publicKey: string; origin: string }, events: unknown[], headers: Record<string, string> = {}): Promise<CollectReply> {
  return reply(
    await fetch(new URL("/api/collect", base), {
      method: "POST",
      headers: { "content-type": "text/plain;charset=UTF-8", origin: p.origin, "user-agent": "Mozilla/5.0 (X11; Linux x86_64) Chrome/130.0 Safari/537.36", ...headers },
      body: JSON.stringify({ key: p.publicKey, events }),
    }),
  );
}

/** The hash in the strong ETag of what `base` serves at /c/<publicKey>.js now. */
export async function servedScript(base: string, publicKey: string): Promise<string> {
  const response = await fetch(new URL(`/c/${publicKey}.js`, base));
  expect(response.status).toBe(200);
  return (response.headers.get("etag") ?? "").replace(/"/g, "");
}

/** The server API: JSON with the environment's server key. */
export async function sendServerEvents(base: string, serverKey: string, events: unknown[]): Promise<CollectReply> {
  return reply(
    await fetch(new URL("/api/v1/events", base), {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${serverKey}` },
      body: JSON.stringify({ events }),
    }),
  );
}

/** Asserts a 202 where every event has the given status; answers the body. */
export function expectOutcome(r: CollectReply, status: "accepted" | "duplicate" | "rejected", count?: number): Json {
  expect(r.status, r.text.slice(0, 500)).toBe(202);
  if (count !== undefined) expect(r.body.results).toHaveLength(count);
  for (const result of r.body.results) expect(result, r.text.slice(0, 500)).toMatchObject({ status });
  return r.body;
}

/** Polls `probe` until it answers a truthy value (returned), or fails after timeoutMs. */
export async function eventually<T>(probe: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, what = "the condition"): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? `: ${(last as Error).message}` : ""}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
