// The OpenAPI 3 document of /api/v1, generated from the same zod schemas the routes
// validate with (zod's JSON Schema output), so the document cannot drift from them.
import { z } from "zod";
import * as s from "../schemas/resources";
import * as c from "../schemas/config";
import { importFile } from "../config/transfer";
import { gtmExportBody, gtmImportQuery } from "../gtm/schema";
import { deliveryQuery, deliveryReplay } from "../schemas/deliveries";
import { healthQuery, qualityQuery } from "../schemas/health";
import { streamQuery, testEventRequest } from "../schemas/stream";
import * as a from "../schemas/alerts";
import * as o from "../schemas/orders";
import { serverBatch } from "../collector/schema";
import type { Permission } from "../rbac/permissions";
import { ROLES, can } from "../rbac/permissions";

type Operation = {
  method: "get" | "post" | "patch" | "delete";
  path: string;
  summary: string;
  permission: Permission | null;
  body?: z.ZodType;
  query?: z.ZodObject;
  created?: boolean;
  noContent?: boolean;
  /** A body that is not JSON (a CSV upload): its media type and what it holds. */
  rawBody?: { type: string; description: string };
  /** The media type of a non-JSON answer (a CSV download). */
  produces?: string;
};

export const OPERATIONS: Operation[] = [
  { method: "get", path: "/sites", summary: "List sites", permission: "site:read" },
  { method: "post", path: "/sites", summary: "Create a site with its container, environments and regions", permission: "site:write", body: s.siteCreate, created: true },
  { method: "get", path: "/sites/{id}", summary: "Get a site", permission: "site:read" },
  { method: "patch", path: "/sites/{id}", summary: "Update a site", permission: "site:write", body: s.siteUpdate },
  { method: "delete", path: "/sites/{id}", summary: "Delete a site", permission: "site:delete", noContent: true },
  { method: "get", path: "/sites/{id}/regions", summary: "List a site's regions", permission: "region:read" },
  { method: "post", path: "/sites/{id}/regions", summary: "Add a region", permission: "region:write", body: s.regionCreate, created: true },
  { method: "get", path: "/regions/{id}", summary: "Get a region", permission: "region:read" },
  { method: "patch", path: "/regions/{id}", summary: "Update a region", permission: "region:write", body: s.regionUpdate },
  { method: "delete", path: "/regions/{id}", summary: "Delete a region", permission: "region:write", noContent: true },
  { method: "get", path: "/containers", summary: "List containers", permission: "container:read" },
  { method: "post", path: "/containers", summary: "Create the container of a site that has none", permission: "container:write", body: s.containerCreate, created: true },
  { method: "get", path: "/containers/{id}", summary: "Get a container", permission: "container:read" },
  { method: "patch", path: "/containers/{id}", summary: "Rename a container", permission: "container:write", body: s.containerUpdate },
  { method: "delete", path: "/containers/{id}", summary: "Delete a container", permission: "container:delete", noContent: true },
  { method: "get", path: "/containers/{id}/environments", summary: "List environments", permission: "environment:read" },
  { method: "post", path: "/containers/{id}/environments", summary: "Add an environment", permission: "environment:write", body: s.environmentCreate, created: true },
  { method: "get", path: "/environments/{id}", summary: "Get an environment", permission: "environment:read" },
  { method: "patch", path: "/environments/{id}", summary: "Rename an environment, rotate its public key, or create/rotate its server key (rotateServerKey: the key is answered once)", permission: "environment:write", body: s.environmentUpdate },
  { method: "delete", path: "/environments/{id}", summary: "Delete a non-production environment", permission: "environment:write", noContent: true },
  { method: "get", path: "/team", summary: "The current team", permission: "team:read" },
  { method: "patch", path: "/team", summary: "Rename the team, set its retention window (retentionDays; null: the server's default), or whether production needs approval", permission: "team:update", body: s.teamUpdate },
  { method: "delete", path: "/team", summary: "Delete the team with everything it configured and collected (name: the team's name, to confirm)", permission: "team:delete", body: s.teamDelete, noContent: true },
  { method: "get", path: "/notifications", summary: "Your notifications (publish requests to decide, decisions on yours), with the unread count", permission: "team:read" },
  { method: "post", path: "/notifications/read", summary: "Mark notifications read (all when no ids are given)", permission: "team:read", body: s.notificationsRead, created: true },
  { method: "get", path: "/members", summary: "List members", permission: "member:read" },
  { method: "patch", path: "/members/{id}", summary: "Change a member's role", permission: "member:manage", body: s.memberUpdate },
  { method: "delete", path: "/members/{id}", summary: "Remove a member", permission: "member:manage", noContent: true },
  { method: "get", path: "/invites", summary: "List pending invitations", permission: "member:manage" },
  { method: "post", path: "/invites", summary: "Invite by email; answers the one-time link", permission: "member:manage", body: s.inviteCreate, created: true },
  { method: "delete", path: "/invites/{id}", summary: "Withdraw an invitation", permission: "member:manage", noContent: true },
  { method: "post", path: "/invites/accept", summary: "Accept an invitation (public)", permission: null, body: s.inviteAccept, created: true },
  { method: "post", path: "/signup", summary: "Create the first account and team (public)", permission: null, body: s.signup, created: true },
  { method: "get", path: "/tokens", summary: "List API tokens", permission: "token:manage" },
  { method: "post", path: "/tokens", summary: "Create an API token; the secret is shown once", permission: "token:manage", body: s.tokenCreate, created: true },
  { method: "delete", path: "/tokens/{id}", summary: "Revoke an API token", permission: "token:manage", noContent: true },
  { method: "get", path: "/audit", summary: "The audit log, newest first: each entry with a summary and its changes in words; filter by entity, person, words (q) and dates (from, to); paged (page, limit; answers total and pages)", permission: "audit:read", query: s.auditQuery },
  { method: "get", path: "/plan/events", summary: "The tracking plan", permission: "plan:read" },
  { method: "post", path: "/plan/events", summary: "Define a plan event (or {preset} for a standard one)", permission: "plan:write", body: c.planEventCreate, created: true },
  { method: "get", path: "/plan/events/{id}", summary: "Get a plan event", permission: "plan:read" },
  { method: "patch", path: "/plan/events/{id}", summary: "Update a plan event (stale revision → 409)", permission: "plan:write", body: c.planEventUpdate },
  { method: "delete", path: "/plan/events/{id}", summary: "Remove a plan event no container uses", permission: "plan:write", noContent: true },
  { method: "get", path: "/plan/presets", summary: "Standard events with their platform names", permission: "plan:read" },
  { method: "get", path: "/sites/{id}/tracking-plan", summary: "A site's tracking plan as documented: each event's parameters (type, source, required), triggers in words, destinations and names there, owner, last change; and the items without an owner", permission: "plan:read" },
  { method: "get", path: "/sites/{id}/tracking-plan/markdown", summary: "The tracking-plan document as a Markdown file", permission: "plan:read", produces: "text/markdown" },
  { method: "get", path: "/sites/{id}/tracking-plan/html", summary: "The tracking-plan document as a standalone HTML page", permission: "plan:read", produces: "text/html" },
  { method: "get", path: "/plan/consistency", summary: "Where sites and regions differ from the plan", permission: "plan:read" },
  { method: "get", path: "/containers/{id}/events", summary: "Plan events used in a container", permission: "container:read" },
  { method: "post", path: "/containers/{id}/events", summary: "Use a plan event in a container", permission: "draft:write", body: c.containerEventCreate, created: true },
  { method: "get", path: "/events/{id}", summary: "Get a container event", permission: "container:read" },
  { method: "patch", path: "/events/{id}", summary: "Change triggers, mappings, overrides", permission: "draft:write", body: c.containerEventUpdate },
  { method: "delete", path: "/events/{id}", summary: "Stop using an event in a container", permission: "draft:write", noContent: true },
  { method: "get", path: "/containers/{id}/triggers", summary: "List triggers", permission: "container:read" },
  { method: "post", path: "/containers/{id}/triggers", summary: "Add a trigger", permission: "draft:write", body: c.triggerCreate, created: true },
  { method: "get", path: "/triggers/{id}", summary: "Get a trigger", permission: "container:read" },
  { method: "patch", path: "/triggers/{id}", summary: "Update a trigger", permission: "draft:write", body: c.triggerUpdate },
  { method: "delete", path: "/triggers/{id}", summary: "Delete a trigger", permission: "draft:write", noContent: true },
  { method: "get", path: "/containers/{id}/variables", summary: "List variables", permission: "container:read" },
  { method: "post", path: "/containers/{id}/variables", summary: "Add a variable", permission: "draft:write", body: c.variableCreate, created: true },
  { method: "get", path: "/variables/{id}", summary: "Get a variable", permission: "container:read" },
  { method: "patch", path: "/variables/{id}", summary: "Update a variable", permission: "draft:write", body: c.variableUpdate },
  { method: "delete", path: "/variables/{id}", summary: "Delete a variable", permission: "draft:write", noContent: true },
  { method: "get", path: "/containers/{id}/destinations", summary: "List destinations (secrets masked)", permission: "container:read" },
  { method: "post", path: "/containers/{id}/destinations", summary: "Add a destination", permission: "draft:write", body: c.destinationCreate, created: true },
  { method: "get", path: "/destinations/{id}", summary: "Get a destination (secrets masked)", permission: "container:read" },
  { method: "patch", path: "/destinations/{id}", summary: "Update a destination; secrets are write-only", permission: "draft:write", body: c.destinationUpdate },
  { method: "delete", path: "/destinations/{id}", summary: "Delete a destination", permission: "draft:write", noContent: true },
  { method: "get", path: "/containers/{id}/draft", summary: "The whole draft and its problems", permission: "container:read" },
  { method: "get", path: "/containers/{id}/versions", summary: "Version history", permission: "version:read" },
  { method: "post", path: "/containers/{id}/versions", summary: "Create a version from the draft", permission: "version:create", body: c.versionCreate, created: true },
  { method: "get", path: "/containers/{id}/diff", summary: "Semantic diff in sentences: from/to = draft, empty (nothing), a version id, or env:<environment id>", permission: "version:read" },
  { method: "get", path: "/containers/{id}/export", summary: "Export the draft as JSON", permission: "container:read" },
  { method: "post", path: "/containers/{id}/import", summary: "Replace the draft from an exported file", permission: "draft:write", body: importFile, created: true },
  { method: "post", path: "/containers/{id}/import-gtm", summary: "Import a Google Tag Manager web container export: mode=preview answers the report and the diff against the draft; mode=apply writes it (replace or merge, one transaction)", permission: "draft:write", body: gtmExportBody, query: gtmImportQuery, created: true },
  { method: "get", path: "/versions/{id}", summary: "Get a version with its snapshot", permission: "version:read" },
  { method: "post", path: "/versions/{id}/publish", summary: "Publish (or roll back) to an environment; production answers 409 approval_required where the team requires approval (a rollback to a version production served before is allowed)", permission: "version:publish", body: c.publishRequest, created: true },
  { method: "get", path: "/containers/{id}/publish-requests", summary: "Publish requests of a container, newest first", permission: "version:read" },
  { method: "post", path: "/containers/{id}/publish-requests", summary: "Ask for a version to be published to production (where the team requires approval)", permission: "version:create", body: c.publishRequestCreate, created: true },
  { method: "get", path: "/publish-requests/{id}", summary: "Get a publish request", permission: "version:read" },
  { method: "post", path: "/publish-requests/{id}/approve", summary: "Approve a publish request: publishes it (403 for the requester)", permission: "version:publish", body: c.publishDecision, created: true },
  { method: "post", path: "/publish-requests/{id}/reject", summary: "Reject a publish request with a comment (403 for the requester)", permission: "version:publish", body: c.publishDecision, created: true },
  { method: "get", path: "/environments/{id}/history", summary: "Publish history of an environment", permission: "environment:read" },
  { method: "post", path: "/environments/{id}/preview", summary: "A preview link for the storefront (expires in 4 hours)", permission: "draft:write", created: true },
  { method: "get", path: "/sites/{id}/health", summary: "Signal health: counts per hour or day from the rollups, the previous period beside, the backlog", permission: "health:read", query: healthQuery },
  { method: "get", path: "/sites/{id}/quality", summary: "Quality: parameter validity and match keys per event, match-quality score per destination, with example events", permission: "health:read", query: qualityQuery },
  { method: "get", path: "/sites/{id}/coverage", summary: "Deduplication coverage per event (browser and server, browser only, server only) against the 75 % target", permission: "health:read", query: qualityQuery },
  { method: "get", path: "/environments/{id}/events", summary: "The live event stream, newest first (keyset: nextCursor), each event with a delivery badge per destination", permission: "delivery:read", query: streamQuery },
  { method: "post", path: "/environments/{id}/test-event", summary: "Send a test server event through the collector (event_id tagpipe_test_…, test: true)", permission: "draft:write", body: testEventRequest, created: true },
  { method: "get", path: "/collected-events/{id}", summary: "A collected event as stored, with every delivery attempt, the request body sent and the platform's answer", permission: "delivery:read" },
  { method: "get", path: "/deliveries", summary: "The outbox newest first (keyset: nextCursor): deliveries by status (failed = dead or retrying), destination or ids", permission: "delivery:read", query: deliveryQuery },
  { method: "post", path: "/deliveries/replay", summary: "Replay dead-lettered deliveries; answers the ids put back", permission: "delivery:replay", body: deliveryReplay, created: true },
  { method: "get", path: "/sites/{id}/alert-rules", summary: "The site's alert rules with their thresholds and defaults", permission: "alert:read" },
  { method: "patch", path: "/sites/{id}/alert-rules/{kind}", summary: "Switch an alert rule on or off, change its thresholds, or reset it", permission: "alert:manage", body: a.alertRuleUpdate },
  { method: "get", path: "/sites/{id}/alert-channels", summary: "The site's alert channels (secrets never shown)", permission: "alert:read" },
  { method: "post", path: "/sites/{id}/alert-channels", summary: "Add a signed webhook or email channel", permission: "alert:manage", body: a.alertChannelCreate, created: true },
  { method: "get", path: "/alert-channels/{id}", summary: "Get an alert channel", permission: "alert:read" },
  { method: "patch", path: "/alert-channels/{id}", summary: "Update an alert channel", permission: "alert:manage", body: a.alertChannelUpdate },
  { method: "delete", path: "/alert-channels/{id}", summary: "Remove an alert channel", permission: "alert:manage", noContent: true },
  { method: "post", path: "/alert-channels/{id}/test", summary: "Send a test alert through the channel", permission: "alert:manage", created: true },
  { method: "get", path: "/sites/{id}/incidents", summary: "The site's incidents, newest first", permission: "alert:read", query: a.incidentQuery },
  { method: "get", path: "/incidents/{id}", summary: "An incident with its history", permission: "alert:read" },
  { method: "post", path: "/incidents/{id}/acknowledge", summary: "Acknowledge an incident", permission: "alert:manage", created: true },
  { method: "get", path: "/sites/{id}/orders", summary: "How many orders the site has, and its recent order imports", permission: "site:read" },
  { method: "post", path: "/sites/{id}/orders", summary: "Upsert up to 1,000 backend orders by order id (all or nothing; emails and phones hashed at intake)", permission: "site:write", body: o.ordersPost, created: true },
  {
    method: "post",
    path: "/sites/{id}/orders/import",
    summary: "Import a CSV file of orders, streamed (any size), with its column mapping in the query; refused whole when malformed",
    permission: "site:write",
    query: o.orderImportQuery,
    rawBody: { type: "text/csv", description: "The CSV file as it is: a header line, then one order per line. Rows with problems are skipped and reported; a file refused as a whole (422) imports nothing." },
    created: true,
  },
  { method: "get", path: "/order-imports/{id}", summary: "An order import with its per-row problems", permission: "site:read" },
  { method: "get", path: "/order-imports/{id}/errors", summary: "An import's per-row error report as CSV (row, column, problem)", permission: "site:read", produces: "text/csv" },
  { method: "get", path: "/sites/{id}/reconciliation", summary: "Backend orders against every destination: outcomes, accuracy per destination, day and region, extra conversions", permission: "health:read", query: o.reconciliationQuery },
  { method: "get", path: "/sites/{id}/reconciliation/orders", summary: "The orders behind a reconciliation figure, paged, or all as CSV (format=csv)", permission: "health:read", query: o.reconciliationOrdersQuery },
  { method: "get", path: "/sites/{id}/reconciliation/orders/{orderId}", summary: "One order at each destination, with the conversions that carried its id", permission: "health:read", query: o.reconciliationQuery },
  {
    method: "post",
    path: "/sites/{id}/catalog",
    summary: "Replace the site's product catalog with a CSV file (product id, optional price and currency), streamed",
    permission: "site:write",
    query: o.catalogImportQuery,
    rawBody: { type: "text/csv", description: "The catalog as CSV: a header line, then one product per line. Refused whole (422, the previous catalog kept) when malformed." },
    created: true,
  },
  { method: "get", path: "/sites/{id}/catalog-check", summary: "Content ids of recent conversions against the catalog: the share found, unknown ids with their events, prices that differ", permission: "health:read", query: o.catalogCheckQuery },
  { method: "post", path: "/incidents/{id}/mute", summary: "Mute an incident's notifications for some minutes (0 unmutes)", permission: "alert:manage", body: a.incidentMute, created: true },
];

type JsonObject = Record<string, unknown>;

// Named schemas (`.meta({ id })`) are hoisted into components.schemas and referenced.
function jsonSchema(schema: z.ZodType, components: JsonObject): JsonObject {
  const generated = z.toJSONSchema(schema, { target: "openapi-3.0", io: "input", unrepresentable: "any" });
  const text = JSON.stringify(generated).replace(/"#\/(definitions|\$defs)\//g, '"#/components/schemas/');
  const { definitions, $defs, ...rest } = JSON.parse(text) as JsonObject;
  Object.assign(components, definitions ?? {}, $defs ?? {});
  return rest;
}

const errorSchema = {
  type: "object",
  properties: {
    error: {
      type: "object",
      required: ["code", "message"],
      properties: {
        code: { type: "string" },
        message: { type: "string", description: "Names the offending field" },
        fields: {
          type: "array",
          items: {
            type: "object",
            properties: {
              path: { type: "string" },
              message: { type: "string" },
              where: { type: "string", description: "The field as the dashboard's form labels it (\"Condition 2 value\", \"Pixel ID\"), where the rule knows it" },
            },
          },
        },
      },
    },
  },
};

function errorResponse(description: string) {
  return { description, content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } } };
}

export function openApiDocument(serverUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: JsonObject = { Error: errorSchema };
  for (const op of OPERATIONS) {
    const parameters: unknown[] = [];
    if (op.path.includes("{id}")) parameters.push({ name: "id", in: "path", required: true, schema: { type: "string" } });
    if (op.path.includes("{orderId}")) parameters.push({ name: "orderId", in: "path", required: true, schema: { type: "string" } });
    if (op.path.includes("{kind}")) parameters.push({ name: "kind", in: "path", required: true, schema: { type: "string", enum: a.RULE_KINDS } });
    if (op.query) {
      for (const [name, field] of Object.entries(op.query.shape)) {
        parameters.push({ name, in: "query", required: false, schema: jsonSchema(field as z.ZodType, schemas) });
      }
    }
    const roles = op.permission ? ROLES.filter((r) => can(r, op.permission!)) : [];
    paths[op.path] ??= {};
    paths[op.path][op.method] = {
      summary: op.summary,
      description: op.permission ? `Needs the \`${op.permission}\` permission (roles: ${roles.join(", ")}).` : "Public.",
      security: op.permission ? [{ bearer: [] }, { session: [] }] : [],
      parameters,
      ...(op.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(op.body, schemas) } } } }
        : op.rawBody
          ? { requestBody: { required: true, description: op.rawBody.description, content: { [op.rawBody.type]: { schema: { type: "string", format: "binary" } } } } }
          : {}),
      responses: {
        [op.noContent ? "204" : op.created ? "201" : "200"]: {
          description: op.noContent ? "Done" : "The resource",
          ...(op.noContent ? {} : { content: { [op.produces ?? "application/json"]: { schema: op.produces ? { type: "string" } : { type: "object" } } } }),
        },
        "400": errorResponse("Malformed JSON"),
        "401": errorResponse("No valid session or API token"),
        "403": errorResponse("The role lacks the permission, or a cross-site request"),
        "404": errorResponse("Unknown id, or an id of another team"),
        "409": errorResponse("Conflict with existing data"),
        "413": errorResponse("Body over 64 KB"),
        "415": errorResponse("Body is not application/json"),
        "422": errorResponse("A field is invalid or unknown; `fields` names each"),
      },
    };
  }
  // The backend door of the collector: answered by server.ts, authenticated by an
  // environment's server key, not by an API token, so it sits outside OPERATIONS.
  paths["/events"] = {
    post: {
      summary: "Send events from a backend (orders, sign-ups, refunds); 202 after they are committed",
      description: "Authenticate with the environment's server key (PATCH /environments/{id} with rotateServerKey). Same event shape as the browser collector; up to 1000 events, 1 MB.",
      security: [{ serverKey: [] }],
      requestBody: { required: true, content: { "application/json": { schema: jsonSchema(serverBatch, schemas) } } },
      responses: {
        "202": { description: "Committed: a result per event (accepted, duplicate, rejected with errors)", content: { "application/json": { schema: { type: "object" } } } },
        "400": errorResponse("Malformed JSON or nesting deeper than 8"),
        "401": errorResponse("No or unknown server key"),
        "413": errorResponse("Body over 1 MB"),
        "415": errorResponse("Body is not application/json"),
        "422": errorResponse("A field is invalid or unknown; `fields` names each"),
        "429": errorResponse("Too many requests for this environment"),
      },
    },
  };
  return {
    openapi: "3.0.3",
    info: {
      title: "Tagpipe API",
      version: "1",
      description: "Configure sites, regions, containers and environments. Authenticate with `Authorization: Bearer tpk_…` (an API token) or a dashboard session.",
    },
    servers: [{ url: `${serverUrl}/api/v1` }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "An API token (tpk_…), created by an owner on the dashboard's API tokens page (/tokens)" },
        session: { type: "apiKey", in: "cookie", name: "next-auth.session-token" },
        serverKey: { type: "http", scheme: "bearer", description: "An environment's server key (tps_…), for POST /events only" },
      },
      schemas,
    },
    paths,
  };
}
