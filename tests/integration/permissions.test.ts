// The permission matrix over real HTTP: every role, as an API token, calls every API
// operation of lib/api/openapi.ts OPERATIONS on a real target with a valid body. Allowed
// (per lib/rbac/permissions.ts) → the operation's 2xx; refused → 403 and no change.
// Without credentials → 401. Public operations answer the same to everyone.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { OPERATIONS } from "@/lib/api/openapi";
import { ROLES, can } from "@/lib/rbac/permissions";
import { queryDatabase } from "../helpers/postgres";
import {
  Client,
  addMember,
  createToken,
  expectStatus,
  newTeam,
  regionBody,
  siteBody,
  uid,
  type Json,
  type Role,
  type Team,
} from "../helpers/api";

type World = {
  team: Team;
  siteId: string;
  regionId: string;
  containerId: string;
  environmentId: string;
  memberId: string;
  planEventId: string;
  containerEventId: string;
  triggerId: string;
  variableId: string;
  destinationId: string;
  /** An empty container (a valid draft) for versions, diff, export, import, publish. */
  versionContainerId: string;
  versionId: string;
  versionEnvironmentId: string;
  /** The versioned container's production: publish requests go there. */
  versionProductionId: string;
  channelId: string;
  /** An incident written straight into the database: alerts open them only on a schedule, from traffic. */
  incidentId: string;
  orderImportId: string;
};
type Target = {
  path: string;
  body?: unknown;
  /** A raw (non-JSON) body, sent as text/csv. */
  raw?: string;
  /** Checks afterwards that the change happened exactly when it was allowed. */
  effect?: (allowed: boolean) => Promise<void>;
  /** Calls as this role of another team instead of the world's (an operation on the caller's own team that would end the world). */
  as?: (role: Role) => Promise<Client>;
};

async function freshSite(w: World) {
  return expectStatus(await w.team.owner.post("/sites", siteBody()), 201);
}

/** Deleting `path` took effect exactly when allowed. */
function deleted(w: World, path: string) {
  return async (allowed: boolean) => {
    expect((await w.team.owner.get(path)).status, `GET ${path} after DELETE`).toBe(allowed ? 404 : 200);
  };
}

const eventName = () => `ev_${uid()}`;
const trigger = () => ({ name: `Trigger ${uid()}`, definition: { type: "page_view" } });
const variable = () => ({ name: `Variable ${uid()}`, definition: { kind: "constant", value: "42" } });
const destination = () => ({
  name: `Hook ${uid()}`,
  definition: { platform: "webhook", ids: { url: "https://hooks.example.test/tagpipe" } },
  secrets: { signingSecret: "s3cret-signing-key" },
});

async function planEvent(w: World) {
  return expectStatus(await w.team.owner.post("/plan/events", { name: eventName() }), 201);
}

/** A PATCH of `path` with the entity's current revision, and a check that it applied exactly when allowed. */
async function revisedPatch(w: World, path: string, change: Record<string, unknown>, read: (entity: Json) => unknown) {
  const before = expectStatus(await w.team.owner.get(path), 200);
  return {
    path,
    body: { revision: before.revision, ...change },
    effect: async (allowed: boolean) => {
      const after = expectStatus(await w.team.owner.get(path), 200);
      expect(read(after) === Object.values(change)[0]).toBe(allowed);
      expect(after.revision).toBe(allowed ? before.revision + 1 : before.revision);
    },
  };
}

async function pendingInvite(w: World) {
  return expectStatus(await w.team.owner.post("/invites", { email: `invitee-${uid()}@example.test`, role: "viewer" }), 201);
}

/** A new version of the versioned container (never live anywhere yet). */
async function freshVersion(w: World): Promise<string> {
  return expectStatus(await w.team.owner.post(`/containers/${w.versionContainerId}/versions`, { note: `v ${uid()}` }), 201).id;
}

/** A pending request to publish a fresh version to production, asked by the owner token (not a matrix token). */
async function pendingRequest(w: World): Promise<string> {
  const body = { versionId: await freshVersion(w), environmentId: w.versionProductionId };
  return expectStatus(await w.team.owner.post(`/containers/${w.versionContainerId}/publish-requests`, body), 201).id;
}

/** Approving or rejecting a pending request: decided exactly when allowed. */
async function decision(w: World, verb: "approve" | "reject", status: string): Promise<Target> {
  const id = await pendingRequest(w);
  return {
    path: `/publish-requests/${id}/${verb}`,
    body: { comment: "matrix" },
    effect: async (allowed) => expect(expectStatus(await w.team.owner.get(`/publish-requests/${id}`), 200).status).toBe(allowed ? status : "pending"),
  };
}

/**
 * Writes that leave other than one audit entry: marking one's own notifications read
 * changes nothing of the team's (none); approving a publish request is the decision and
 * the environment's publish (two).
 */
const AUDIT_ENTRIES: Record<string, number> = { "post /notifications/read": 0, "post /publish-requests/{id}/approve": 2 };

// One entry per OPERATIONS entry ("method path"): a real target for the call.
const FIXTURES: Record<string, (w: World) => Promise<Target>> = {
  "get /sites": async () => ({ path: "/sites" }),
  "post /sites": async () => ({ path: "/sites", body: siteBody({ regions: [regionBody()] }) }),
  "get /sites/{id}": async (w) => ({ path: `/sites/${w.siteId}` }),
  "patch /sites/{id}": async (w) => ({ path: `/sites/${w.siteId}`, body: { name: `Renamed ${uid()}` } }),
  "delete /sites/{id}": async (w) => {
    const site = await freshSite(w);
    return { path: `/sites/${site.id}`, effect: deleted(w, `/sites/${site.id}`) };
  },
  "get /sites/{id}/regions": async (w) => ({ path: `/sites/${w.siteId}/regions` }),
  "post /sites/{id}/regions": async (w) => ({ path: `/sites/${w.siteId}/regions`, body: regionBody() }),
  "get /regions/{id}": async (w) => ({ path: `/regions/${w.regionId}` }),
  "patch /regions/{id}": async (w) => ({ path: `/regions/${w.regionId}`, body: { name: `Region ${uid()}`, consentDefault: "denied" } }),
  "delete /regions/{id}": async (w) => {
    const region = expectStatus(await w.team.owner.post(`/sites/${w.siteId}/regions`, regionBody()), 201);
    return { path: `/regions/${region.id}`, effect: deleted(w, `/regions/${region.id}`) };
  },
  "get /containers": async () => ({ path: "/containers" }),
  "post /containers": async (w) => {
    const site = await freshSite(w);
    expectStatus(await w.team.owner.delete(`/containers/${site.container.id}`), 204);
    return {
      path: "/containers",
      body: { siteId: site.id, name: "Recreated" },
      effect: async (allowed) => {
        const after = expectStatus(await w.team.owner.get(`/sites/${site.id}`), 200);
        expect(after.container !== null).toBe(allowed);
      },
    };
  },
  "get /containers/{id}": async (w) => ({ path: `/containers/${w.containerId}` }),
  "patch /containers/{id}": async (w) => ({ path: `/containers/${w.containerId}`, body: { name: `Container ${uid()}` } }),
  "delete /containers/{id}": async (w) => {
    const site = await freshSite(w);
    return { path: `/containers/${site.container.id}`, effect: deleted(w, `/containers/${site.container.id}`) };
  },
  "get /containers/{id}/environments": async (w) => ({ path: `/containers/${w.containerId}/environments` }),
  "post /containers/{id}/environments": async (w) => ({
    path: `/containers/${w.containerId}/environments`,
    body: { name: `e${uid()}`.slice(0, 32) },
  }),
  "get /environments/{id}": async (w) => ({ path: `/environments/${w.environmentId}` }),
  "patch /environments/{id}": async (w) => {
    const before = expectStatus(await w.team.owner.get(`/environments/${w.environmentId}`), 200);
    return {
      path: `/environments/${w.environmentId}`,
      body: { rotateKey: true },
      effect: async (allowed) => {
        const after = expectStatus(await w.team.owner.get(`/environments/${w.environmentId}`), 200);
        expect(after.publicKey !== before.publicKey).toBe(allowed);
      },
    };
  },
  "delete /environments/{id}": async (w) => {
    const env = expectStatus(await w.team.owner.post(`/containers/${w.containerId}/environments`, { name: `d${uid()}`.slice(0, 32) }), 201);
    return { path: `/environments/${env.id}`, effect: deleted(w, `/environments/${env.id}`) };
  },
  "get /team": async () => ({ path: "/team" }),
  "patch /team": async () => ({ path: "/team", body: { name: `Team ${uid()}`, retentionDays: 30 } }),
  "delete /team": async (w) => {
    const doomed = await newTeam(w.team.owner.base);
    const name = expectStatus(await doomed.owner.get("/team"), 200).name as string;
    return {
      path: "/team",
      body: { name },
      as: async (role) => new Client(doomed.owner.base, (await createToken(doomed.owner, role)).secret),
      effect: async (allowed) => expect((await doomed.owner.get("/team")).status).toBe(allowed ? 401 : 200),
    };
  },
  "get /members": async () => ({ path: "/members" }),
  "patch /members/{id}": async (w) => ({ path: `/members/${w.memberId}`, body: { role: "editor" } }),
  "delete /members/{id}": async (w) => {
    const member = await addMember(w.team, "viewer");
    return {
      path: `/members/${member.memberId}`,
      effect: async (allowed) => {
        const members = expectStatus(await w.team.owner.get("/members"), 200);
        expect(members.data.some((m: Json) => m.id === member.memberId)).toBe(!allowed);
      },
    };
  },
  "get /invites": async () => ({ path: "/invites" }),
  "post /invites": async () => ({ path: "/invites", body: { email: `invitee-${uid()}@example.test`, role: "editor" } }),
  "delete /invites/{id}": async (w) => {
    const invite = await pendingInvite(w);
    return {
      path: `/invites/${invite.id}`,
      effect: async (allowed) => {
        const invites = expectStatus(await w.team.owner.get("/invites"), 200);
        expect(invites.data.some((i: Json) => i.id === invite.id)).toBe(!allowed);
      },
    };
  },
  "post /invites/accept": async (w) => {
    const invite = await pendingInvite(w);
    return { path: "/invites/accept", body: { token: invite.link.split("/").pop(), name: "Invitee", password: `pw-${uid()}-long` } };
  },
  "post /signup": async () => {
    const id = uid();
    return { path: "/signup", body: { email: `signup-${id}@example.test`, name: "New", password: `pw-${id}-long`, teamName: `T ${id}` } };
  },
  "get /tokens": async () => ({ path: "/tokens" }),
  "post /tokens": async () => ({ path: "/tokens", body: { name: `t-${uid()}`, role: "viewer" } }),
  "delete /tokens/{id}": async (w) => {
    const token = await createToken(w.team.owner, "viewer");
    const probe = new Client(w.team.owner.base, token.secret);
    return {
      path: `/tokens/${token.id}`,
      effect: async (allowed) => expect((await probe.get("/team")).status).toBe(allowed ? 401 : 200),
    };
  },
  "get /audit": async () => ({ path: "/audit?limit=5" }),

  // The tracking plan.
  "get /plan/events": async () => ({ path: "/plan/events" }),
  "post /plan/events": async () => ({ path: "/plan/events", body: { name: eventName(), parameters: [{ name: "value", type: "number" }] } }),
  "get /plan/events/{id}": async (w) => ({ path: `/plan/events/${w.planEventId}` }),
  "patch /plan/events/{id}": async (w) => {
    const description = `Described ${uid()}`;
    return revisedPatch(w, `/plan/events/${w.planEventId}`, { description }, (e) => e.description);
  },
  "delete /plan/events/{id}": async (w) => {
    const event = await planEvent(w);
    return { path: `/plan/events/${event.id}`, effect: deleted(w, `/plan/events/${event.id}`) };
  },
  "get /plan/presets": async () => ({ path: "/plan/presets" }),
  "get /plan/consistency": async () => ({ path: "/plan/consistency" }),

  // A container's draft: events in use, triggers, variables, destinations.
  "get /containers/{id}/events": async (w) => ({ path: `/containers/${w.containerId}/events` }),
  "post /containers/{id}/events": async (w) => ({ path: `/containers/${w.containerId}/events`, body: { planEventId: (await planEvent(w)).id } }),
  "get /events/{id}": async (w) => ({ path: `/events/${w.containerEventId}` }),
  "patch /events/{id}": async (w) => {
    const description = `Described ${uid()}`;
    return revisedPatch(w, `/events/${w.containerEventId}`, { description }, (e) => e.description);
  },
  "delete /events/{id}": async (w) => {
    const used = expectStatus(await w.team.owner.post(`/containers/${w.containerId}/events`, { planEventId: (await planEvent(w)).id }), 201);
    return { path: `/events/${used.id}`, effect: deleted(w, `/events/${used.id}`) };
  },
  "get /containers/{id}/triggers": async (w) => ({ path: `/containers/${w.containerId}/triggers` }),
  "post /containers/{id}/triggers": async (w) => ({ path: `/containers/${w.containerId}/triggers`, body: trigger() }),
  "get /triggers/{id}": async (w) => ({ path: `/triggers/${w.triggerId}` }),
  "patch /triggers/{id}": async (w) => {
    const name = `Trigger ${uid()}`;
    return revisedPatch(w, `/triggers/${w.triggerId}`, { name }, (t) => t.name);
  },
  "delete /triggers/{id}": async (w) => {
    const made = expectStatus(await w.team.owner.post(`/containers/${w.containerId}/triggers`, trigger()), 201);
    return { path: `/triggers/${made.id}`, effect: deleted(w, `/triggers/${made.id}`) };
  },
  "get /containers/{id}/variables": async (w) => ({ path: `/containers/${w.containerId}/variables` }),
  "post /containers/{id}/variables": async (w) => ({ path: `/containers/${w.containerId}/variables`, body: variable() }),
  "get /variables/{id}": async (w) => ({ path: `/variables/${w.variableId}` }),
  "patch /variables/{id}": async (w) => {
    const name = `Variable ${uid()}`;
    return revisedPatch(w, `/variables/${w.variableId}`, { name }, (v) => v.name);
  },
  "delete /variables/{id}": async (w) => {
    const made = expectStatus(await w.team.owner.post(`/containers/${w.containerId}/variables`, variable()), 201);
    return { path: `/variables/${made.id}`, effect: deleted(w, `/variables/${made.id}`) };
  },
  "get /containers/{id}/destinations": async (w) => ({ path: `/containers/${w.containerId}/destinations` }),
  "post /containers/{id}/destinations": async (w) => ({ path: `/containers/${w.containerId}/destinations`, body: destination() }),
  "get /destinations/{id}": async (w) => ({ path: `/destinations/${w.destinationId}` }),
  "patch /destinations/{id}": async (w) => {
    const name = `Hook ${uid()}`;
    return revisedPatch(w, `/destinations/${w.destinationId}`, { name }, (d) => d.name);
  },
  "delete /destinations/{id}": async (w) => {
    const made = expectStatus(await w.team.owner.post(`/containers/${w.containerId}/destinations`, destination()), 201);
    return { path: `/destinations/${made.id}`, effect: deleted(w, `/destinations/${made.id}`) };
  },

  // Versions, diff, export and import, publishing.
  "get /containers/{id}/draft": async (w) => ({ path: `/containers/${w.containerId}/draft` }),
  "get /containers/{id}/versions": async (w) => ({ path: `/containers/${w.versionContainerId}/versions` }),
  "post /containers/{id}/versions": async (w) => ({ path: `/containers/${w.versionContainerId}/versions`, body: { note: `v ${uid()}` } }),
  "get /containers/{id}/diff": async (w) => ({ path: `/containers/${w.versionContainerId}/diff?from=${w.versionId}&to=draft` }),
  "get /containers/{id}/export": async (w) => ({ path: `/containers/${w.containerId}/export` }),
  "post /containers/{id}/import": async (w) => {
    const file = expectStatus(await w.team.owner.get(`/containers/${w.versionContainerId}/export`), 200);
    return { path: `/containers/${w.versionContainerId}/import`, body: file };
  },
  // Merged into the versioned container's draft: one variable more, one audit entry.
  "post /containers/{id}/import-gtm": async (w) => ({
    path: `/containers/${w.versionContainerId}/import-gtm?mode=apply&strategy=merge`,
    body: { exportFormatVersion: 2, containerVersion: { container: { usageContext: ["WEB"] }, variable: [{ variableId: "1", name: `GTM dl ${uid()}`, type: "v", parameter: [{ type: "TEMPLATE", key: "name", value: "ecommerce.value" }] }] } },
  }),
  "get /versions/{id}": async (w) => ({ path: `/versions/${w.versionId}` }),
  "post /versions/{id}/publish": async (w) => {
    const history = `/environments/${w.versionEnvironmentId}/history`;
    const before = expectStatus(await w.team.owner.get(history), 200).data.length;
    return {
      path: `/versions/${w.versionId}/publish`,
      body: { environmentId: w.versionEnvironmentId, note: "matrix" },
      effect: async (allowed) => expect(expectStatus(await w.team.owner.get(history), 200).data.length).toBe(before + (allowed ? 1 : 0)),
    };
  },
  "get /environments/{id}/history": async (w) => ({ path: `/environments/${w.versionEnvironmentId}/history` }),

  // Approvals and notifications.
  "get /containers/{id}/publish-requests": async (w) => ({ path: `/containers/${w.versionContainerId}/publish-requests` }),
  "post /containers/{id}/publish-requests": async (w) => {
    const list = `/containers/${w.versionContainerId}/publish-requests`;
    const before = expectStatus(await w.team.owner.get(list), 200).data.length;
    return {
      path: list,
      body: { versionId: await freshVersion(w), environmentId: w.versionProductionId, note: "matrix" },
      effect: async (allowed) => expect(expectStatus(await w.team.owner.get(list), 200).data.length).toBe(before + (allowed ? 1 : 0)),
    };
  },
  "get /publish-requests/{id}": async (w) => ({ path: `/publish-requests/${await pendingRequest(w)}` }),
  "post /publish-requests/{id}/approve": async (w) => decision(w, "approve", "approved"),
  "post /publish-requests/{id}/reject": async (w) => decision(w, "reject", "rejected"),
  "get /notifications": async () => ({ path: "/notifications" }),
  "post /notifications/read": async () => ({ path: "/notifications/read", body: {} }),

  "post /environments/{id}/preview": async (w) => ({ path: `/environments/${w.environmentId}/preview` }),

  // The event stream.
  "get /environments/{id}/events": async (w) => ({ path: `/environments/${await streamEnvironment(w)}/events?limit=5` }),
  "post /environments/{id}/test-event": async (w) => ({ path: `/environments/${await streamEnvironment(w)}/test-event`, body: {} }),
  "get /collected-events/{id}": async (w) => ({ path: `/collected-events/${await collectedEvent(w)}` }),

  // The outbox.
  "get /deliveries": async () => ({ path: "/deliveries?status=dead" }),
  "post /deliveries/replay": async (w) => ({ path: "/deliveries/replay", body: { destinationId: w.destinationId } }),

  // Signal health.
  "get /sites/{id}/health": async (w) => ({ path: `/sites/${w.siteId}/health?period=24h&by=event` }),
  "get /sites/{id}/quality": async (w) => ({ path: `/sites/${w.siteId}/quality?period=7d` }),
  "get /sites/{id}/coverage": async (w) => ({ path: `/sites/${w.siteId}/coverage` }),
  "get /sites/{id}/tracking-plan": async (w) => ({ path: `/sites/${w.siteId}/tracking-plan` }),
  "get /sites/{id}/tracking-plan/markdown": async (w) => ({ path: `/sites/${w.siteId}/tracking-plan/markdown` }),
  "get /sites/{id}/tracking-plan/html": async (w) => ({ path: `/sites/${w.siteId}/tracking-plan/html` }),
  // Alerts.
  "get /sites/{id}/alert-rules": async (w) => ({ path: `/sites/${w.siteId}/alert-rules` }),
  "patch /sites/{id}/alert-rules/{kind}": async (w) => {
    const minutes = 1 + Math.floor(Math.random() * 1000);
    return {
      path: `/sites/${w.siteId}/alert-rules/backlog`,
      body: { settings: { minutes } },
      effect: async (allowed) => {
        const rules = expectStatus(await w.team.owner.get(`/sites/${w.siteId}/alert-rules`), 200).data as Json[];
        expect(rules.find((r) => r.kind === "backlog").settings.minutes === minutes).toBe(allowed);
      },
    };
  },
  "get /sites/{id}/alert-channels": async (w) => ({ path: `/sites/${w.siteId}/alert-channels` }),
  "post /sites/{id}/alert-channels": async (w) => ({ path: `/sites/${w.siteId}/alert-channels`, body: alertChannel() }),
  "get /alert-channels/{id}": async (w) => ({ path: `/alert-channels/${w.channelId}` }),
  "patch /alert-channels/{id}": async (w) => ({ path: `/alert-channels/${w.channelId}`, body: { name: `Mail ${uid()}` } }),
  "delete /alert-channels/{id}": async (w) => {
    const made = expectStatus(await w.team.owner.post(`/sites/${w.siteId}/alert-channels`, alertChannel()), 201);
    return { path: `/alert-channels/${made.id}`, effect: deleted(w, `/alert-channels/${made.id}`) };
  },
  // No SMTP server is configured here: the test send answers that it was not sent.
  "post /alert-channels/{id}/test": async (w) => ({ path: `/alert-channels/${w.channelId}/test` }),
  "get /sites/{id}/incidents": async (w) => ({ path: `/sites/${w.siteId}/incidents` }),
  "get /incidents/{id}": async (w) => ({ path: `/incidents/${w.incidentId}` }),
  "post /incidents/{id}/acknowledge": async (w) => ({ path: `/incidents/${w.incidentId}/acknowledge` }),
  "post /incidents/{id}/mute": async (w) => ({ path: `/incidents/${w.incidentId}/mute`, body: { minutes: 30 } }),
  "get /sites/{id}/orders": async (w) => ({ path: `/sites/${w.siteId}/orders` }),
  "post /sites/{id}/orders": async (w) => ({ path: `/sites/${w.siteId}/orders`, body: { orders: [{ order_id: `o-${uid()}`, created_at: "2026-12-01T10:00:00Z", value: "12.50" }] } }),
  "post /sites/{id}/orders/import": async (w) => ({
    path: `/sites/${w.siteId}/orders/import?order_id=id&created_at=at&value=value`,
    raw: `id,at,value\no-${uid()},2026-12-01T10:00:00Z,9.90\n`,
  }),
  "get /sites/{id}/reconciliation": async (w) => ({ path: `/sites/${w.siteId}/reconciliation` }),
  "get /sites/{id}/reconciliation/orders": async (w) => ({ path: `/sites/${w.siteId}/reconciliation/orders?from=2026-11-25&to=2026-12-05` }),
  "get /sites/{id}/reconciliation/orders/{orderId}": async (w) => ({ path: `/sites/${w.siteId}/reconciliation/orders/o-1` }),
  "post /sites/{id}/catalog": async (w) => ({ path: `/sites/${w.siteId}/catalog?product_id=sku&price=price`, raw: `sku,price\nsku-${uid()},9.90\n` }),
  "get /sites/{id}/catalog-check": async (w) => ({ path: `/sites/${w.siteId}/catalog-check` }),
  "get /order-imports/{id}": async (w) => ({ path: `/order-imports/${w.orderImportId}` }),
  "get /order-imports/{id}/errors": async (w) => ({ path: `/order-imports/${w.orderImportId}/errors` }),
};

const alertChannel = () => ({ kind: "email", name: `Mail ${uid()}`, recipients: [`oncall-${uid()}@example.test`] });

/** An open incident of the site, inserted directly into the server's database. */
async function insertIncident(databaseUrl: string | null, teamId: string, siteId: string): Promise<string> {
  if (!databaseUrl) return "no-incident-without-database-access";
  const id = `inc${uid()}`;
  await queryDatabase(
    databaseUrl,
    `INSERT INTO "Incident" (id, "teamId", "siteId", kind, subject, "subjectLabel", message, "openKey", "notifiedAt")
     VALUES ($1, $2, $3, 'backlog', 'destination:x', 'x', 'x: 3 deliveries waiting', $1, now())`,
    [id, teamId, siteId],
  );
  return id;
}

/** A staging environment with a published version handling one event, made once per world (test events need one). */
const streamEnvironments = new WeakMap<World, Promise<string>>();
function streamEnvironment(w: World): Promise<string> {
  let made = streamEnvironments.get(w);
  if (!made) {
    made = (async () => {
      const owner = w.team.owner;
      const site = expectStatus(await owner.post("/sites", siteBody()), 201);
      const plan = await planEvent(w);
      expectStatus(await owner.post(`/containers/${site.container.id}/events`, { planEventId: plan.id, mappings: {} }), 201);
      const version = expectStatus(await owner.post(`/containers/${site.container.id}/versions`, { note: "stream" }), 201);
      const env = site.container.environments.find((e: Json) => e.kind === "staging");
      expectStatus(await owner.post(`/versions/${version.id}/publish`, { environmentId: env.id }), 201);
      return env.id as string;
    })();
    streamEnvironments.set(w, made);
  }
  return made;
}

/** A collected event of the world's team: a test event sent by the owner. */
const collectedEvents = new WeakMap<World, Promise<string>>();
function collectedEvent(w: World): Promise<string> {
  let made = collectedEvents.get(w);
  if (!made) {
    made = (async () => {
      const env = await streamEnvironment(w);
      const sent = expectStatus(await w.team.session.post(`/environments/${env}/test-event`, {}), 201);
      const page = expectStatus(await w.team.owner.get(`/environments/${env}/events?q=${sent.eventId}`), 200);
      return page.data[0].id as string;
    })();
    collectedEvents.set(w, made);
  }
  return made;
}

const rawOptions = (target: Target) => (target.raw === undefined ? {} : { raw: target.raw, headers: { "content-type": "text/csv" } });
const key = (op: (typeof OPERATIONS)[number]) => `${op.method} ${op.path}`;
const successStatus = (op: (typeof OPERATIONS)[number]) => (op.noContent ? 204 : op.created ? 201 : 200);
const guarded = OPERATIONS.filter((op) => op.permission !== null);
const publicOps = OPERATIONS.filter((op) => op.permission === null);

it("has a fixture for every API operation, and no other", () => {
  expect(Object.keys(FIXTURES).sort()).toEqual(OPERATIONS.map(key).sort());
});

describe.each(inject("servers"))("permission matrix on $name", ({ url, databaseUrl }) => {
  const world = {} as World;
  const tokens = {} as Record<Role, { id: string; client: Client }>;
  /** Successful guarded writes per role: each must have left exactly one audit entry. */
  const writes: Record<Role, number> = { owner: 0, publisher: 0, editor: 0, viewer: 0 };

  beforeAll(async () => {
    world.team = await newTeam(url);
    const site = expectStatus(await world.team.owner.post("/sites", siteBody({ regions: [regionBody()] })), 201);
    world.siteId = site.id;
    world.regionId = site.regions[0].id;
    world.containerId = site.container.id;
    world.environmentId = site.container.environments.find((e: Json) => e.kind === "staging").id;
    world.memberId = (await addMember(world.team, "viewer")).memberId;
    const owner = world.team.owner;
    world.planEventId = (await planEvent(world)).id;
    world.containerEventId = expectStatus(await owner.post(`/containers/${world.containerId}/events`, { planEventId: world.planEventId }), 201).id;
    world.triggerId = expectStatus(await owner.post(`/containers/${world.containerId}/triggers`, trigger()), 201).id;
    world.variableId = expectStatus(await owner.post(`/containers/${world.containerId}/variables`, variable()), 201).id;
    world.destinationId = expectStatus(await owner.post(`/containers/${world.containerId}/destinations`, destination()), 201).id;
    const versioned = expectStatus(await owner.post("/sites", siteBody()), 201);
    world.versionContainerId = versioned.container.id;
    world.versionEnvironmentId = versioned.container.environments.find((e: Json) => e.kind === "staging").id;
    world.versionProductionId = versioned.container.environments.find((e: Json) => e.kind === "production").id;
    world.versionId = expectStatus(await owner.post(`/containers/${world.versionContainerId}/versions`, { note: "first" }), 201).id;
    world.channelId = expectStatus(await owner.post(`/sites/${world.siteId}/alert-channels`, alertChannel()), 201).id;
    world.incidentId = await insertIncident(databaseUrl, world.team.teamId, world.siteId);
    world.orderImportId = expectStatus(await owner.post(`/sites/${world.siteId}/orders`, { orders: [{ order_id: "o-1", created_at: "2026-12-01", value: 1 }] }), 201).importId;
    for (const role of ROLES) {
      const token = await createToken(world.team.owner, role, { name: `matrix-${role}` });
      tokens[role] = { id: token.id, client: new Client(url, token.secret) };
    }
  });

  describe.each([...ROLES])("%s token", (role) => {
    it.each(guarded.map((op) => ({ op, name: key(op).toUpperCase(), allowed: can(role, op.permission!) })))(
      "$name → allowed: $allowed",
      async ({ op, allowed }) => {
        const target = await FIXTURES[key(op)](world);
        const client = target.as ? await target.as(role) : tokens[role].client;
        const reply = await client.call(op.method.toUpperCase(), target.path, target.body, rawOptions(target));
        if (allowed) {
          expectStatus(reply, successStatus(op));
          if (op.method !== "get" && !target.as) writes[role] += AUDIT_ENTRIES[key(op)] ?? 1;
        } else {
          const body = expectStatus(reply, 403);
          expect(body.error.code).toBe("forbidden");
          expect(body.error.message).toContain(op.permission);
        }
        await target.effect?.(allowed);
      },
    );

    it.each(publicOps.map((op) => ({ op, name: key(op).toUpperCase() })))("$name is public", async ({ op }) => {
      const target = await FIXTURES[key(op)](world);
      expectStatus(await tokens[role].client.call(op.method.toUpperCase(), target.path, target.body), successStatus(op));
    });

    it("wrote one audit entry per allowed change and none for refused ones", async () => {
      const log = expectStatus(await world.team.owner.get(`/audit?actor=${tokens[role].id}&limit=200`), 200);
      expect(log.data).toHaveLength(writes[role]);
      expect(log.data.every((e: Json) => e.actorLabel === `token matrix-${role}`)).toBe(true);
      if (role === "viewer") expect(writes.viewer).toBe(0);
      else expect(writes[role]).toBeGreaterThan(0);
    });
  });

  describe("without credentials", () => {
    it.each(guarded.map((op) => ({ op, name: key(op).toUpperCase() })))("$name → 401", async ({ op }) => {
      const target = await FIXTURES[key(op)](world);
      const body = expectStatus(await new Client(url).call(op.method.toUpperCase(), target.path, target.body, { origin: url, ...rawOptions(target) }), 401);
      expect(body.error.code).toBe("unauthorized");
      await target.effect?.(false);
    });
  });
});
