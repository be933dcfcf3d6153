// Changes in words: the version diff's and the audit log's sentences, one case per kind of
// change. Each case names the sentences exactly, so a sentence that slips back to a field
// path, an id, `null` or JSON fails here.
import { describe, expect, test } from "vitest";
import { describeEntityChange, type EntityKind, type EntityValue } from "../../lib/versions/sentences";
import { describeAudit, describeAuditChanges, referencedIds, type AuditLike } from "../../lib/audit/describe";

const names = new Map([
  ["trg_thanks", "Purchase on thank-you"],
  ["trg_internal", "Internal traffic"],
  ["var_total", "Order total"],
  ["var_email", "Email"],
  ["var_country", "Country"],
  ["evt_purchase", "purchase"],
  ["evt_lead", "lead"],
  ["usr_ann", "Ann Lee"],
]);

const condition = (over: Record<string, unknown> = {}) => ({ source: "data_layer", key: "value", operator: "gt", value: "0", negate: false, ignoreCase: false, ...over });
const trigger = (over: EntityValue = {}): EntityValue => ({
  name: "Purchase on thank-you",
  description: "",
  ownerId: null,
  type: "data_layer_event",
  eventName: "purchase",
  conditions: [condition({ source: "page_path", key: undefined, operator: "starts_with", value: "/thanks" }), condition()],
  fireLimit: "every_time",
  blockingTriggerIds: [],
  ...over,
});
const variable = (over: EntityValue = {}): EntityValue => ({ name: "Order total", description: "", ownerId: null, kind: "data_layer", path: "ecommerce.value", coerce: "number", defaultValue: null, ...over });
const event = (over: EntityValue = {}): EntityValue => ({ name: "purchase", description: "", ownerId: null, triggerIds: ["trg_thanks"], mappings: { value: "var_total" }, platformNames: {}, enabled: true, ...over });
const destination = (over: EntityValue = {}): EntityValue => ({
  name: "Meta",
  description: "",
  ownerId: null,
  platform: "meta",
  ids: { pixelId: "123456789" },
  events: [{ eventId: "evt_purchase" }],
  regions: null,
  testEventCode: "TEST1",
  nonProduction: "test",
  secretsSet: ["accessToken"],
  ...over,
});

type Case = { name: string; kind: EntityKind; before: EntityValue; after: EntityValue; sentences: string[] };

const CASES: Case[] = [
  // triggers
  { name: "a condition's value", kind: "trigger", before: trigger(), after: trigger({ conditions: [(trigger().conditions as unknown[])[0], condition({ value: "10" })] }), sentences: ["condition 2 — data layer value greater than 0 → greater than 10"] },
  { name: "a condition's subject", kind: "trigger", before: trigger(), after: trigger({ conditions: [(trigger().conditions as unknown[])[0], condition({ source: "variable", key: "var_total" })] }), sentences: ["condition 2 — data layer value greater than 0 → variable Order total greater than 0"] },
  { name: "a negated, case-blind condition", kind: "trigger", before: trigger(), after: trigger({ conditions: [condition({ source: "page_path", key: undefined, operator: "starts_with", value: "/thanks", negate: true, ignoreCase: true }), condition()] }), sentences: ["condition 1 — page path starts with /thanks → does not start with /thanks (any case)"] },
  { name: "a condition added", kind: "trigger", before: trigger(), after: trigger({ conditions: [...(trigger().conditions as unknown[]), condition({ source: "region", key: undefined, operator: "equals", value: "eu" })] }), sentences: ["condition 3 added: region equals eu"] },
  { name: "a condition removed", kind: "trigger", before: trigger(), after: trigger({ conditions: [condition()] }), sentences: ["condition 1 removed: page path starts with /thanks"] },
  { name: "type, event name, fire limit, blocking trigger", kind: "trigger", before: trigger(), after: trigger({ eventName: "checkout_done", fireLimit: "once_per_page", blockingTriggerIds: ["trg_internal"] }), sentences: ["data layer event: purchase → checkout_done", "fires: every time → once per page", "blocking triggers: added Internal traffic"] },
  { name: "a rename, a description and an owner", kind: "trigger", before: trigger(), after: trigger({ name: "Thank-you purchase", description: "The order page", ownerId: "usr_ann" }), sentences: ["renamed from Purchase on thank-you to Thank-you purchase", "description set to “The order page”", "owner: nobody → Ann Lee"] },
  { name: "a click trigger's selector", kind: "trigger", before: trigger({ type: "click", selector: "button.buy" }), after: trigger({ type: "click", selector: "#buy" }), sentences: ["CSS selector: button.buy → #buy"] },
  // event mappings
  { name: "a mapping added", kind: "event", before: event(), after: event({ mappings: { value: "var_total", "user_data.email": "var_email" } }), sentences: ["user data email mapped to Email"] },
  { name: "a mapping changed and one removed", kind: "event", before: event({ mappings: { value: "var_total", currency: "var_country" } }), after: event({ mappings: { value: "var_email" } }), sentences: ["parameter currency no longer mapped (was Country)", "parameter value: Order total → Email"] },
  { name: "triggers, platform name, turned off", kind: "event", before: event(), after: event({ triggerIds: ["trg_internal"], platformNames: { meta: "Purchase" }, enabled: false }), sentences: ["triggers: added Internal traffic; removed Purchase on thank-you", "name at Meta set to Purchase", "turned off"] },
  { name: "a reference to a deleted variable", kind: "event", before: event(), after: event({ mappings: { value: "var_gone" } }), sentences: ["parameter value: Order total → a deleted variable"] },
  // destinations
  { name: "the test event code", kind: "destination", before: destination(), after: destination({ testEventCode: "TEST2" }), sentences: ["test event code: TEST1 → TEST2"] },
  { name: "a pixel id and events sent", kind: "destination", before: destination(), after: destination({ ids: { pixelId: "987654321" }, events: [{ eventId: "evt_purchase", name: "Purchase" }, { eventId: "evt_lead" }] }), sentences: ["Pixel ID: 123456789 → 987654321", "name of purchase here set to Purchase", "sends lead"] },
  { name: "regions and non-production", kind: "destination", before: destination(), after: destination({ regions: ["eu"], nonProduction: "hold" }), sentences: ["regions: everywhere → eu", "non-production events: sent as test events → held back"] },
  { name: "a secret replaced", kind: "destination", before: destination(), after: destination({ secretsWritten: ["accessToken"] }), sentences: ["Conversions API access token replaced"] },
  { name: "a secret set", kind: "destination", before: destination({ secretsSet: [] }), after: destination({ secretsWritten: ["accessToken"] }), sentences: ["Conversions API access token set"] },
  { name: "a secret cleared", kind: "destination", before: destination(), after: destination({ secretsSet: [] }), sentences: ["Conversions API access token cleared"] },
  { name: "GA4's delivery mode", kind: "destination", before: destination({ platform: "ga4", ids: {} }), after: destination({ platform: "ga4", ids: {}, deliveryMode: "server" }), sentences: ["reported by the browser tag, the server API filling in → the server API only"] },
  // variables
  { name: "a variable's path, type and default", kind: "variable", before: variable(), after: variable({ path: "ecommerce.total", coerce: "string", defaultValue: "0" }), sentences: ["data layer path: ecommerce.value → ecommerce.total", "type: number → string", "default value set to 0"] },
  { name: "a cookie variable's name", kind: "variable", before: variable({ kind: "cookie", path: undefined, key: "_fbp" }), after: variable({ kind: "cookie", path: undefined, key: "_fbc" }), sentences: ["cookie name: _fbp → _fbc"] },
  { name: "a lookup table", kind: "variable", before: variable({ kind: "lookup", path: undefined, inputVariableId: "var_country", entries: [{ key: "DE", value: "EUR" }, { key: "US", value: "USD" }] }), after: variable({ kind: "lookup", path: undefined, inputVariableId: "var_country", entries: [{ key: "DE", value: "EUR" }, { key: "GB", value: "GBP" }] }), sentences: ["lookup row GB → GBP added", "lookup row US → USD removed"] },
  // site, region, plan
  { name: "hostnames and currency", kind: "site", before: { name: "Shop", hostnames: ["shop.example"], defaultCurrency: "EUR" }, after: { name: "Shop", hostnames: ["shop.example", "www.shop.example"], defaultCurrency: "USD" }, sentences: ["hostnames: added www.shop.example", "default currency: EUR → USD"] },
  { name: "a region's countries and consent", kind: "region", before: { title: "Europe", countries: ["DE"], rules: [], currency: null, consentDefault: "denied" }, after: { title: "Europe", countries: ["DE", "FR"], rules: [{ pathPrefix: "/fr" }], currency: "EUR", consentDefault: "granted" }, sentences: ["countries: added FR", "rules: added path starting /fr", "currency set to EUR", "consent by default: denied → granted"] },
  { name: "a plan event's parameters", kind: "plan_event", before: { name: "purchase", parameters: [{ name: "value", type: "number", required: false }, { name: "coupon", type: "string", required: false }] }, after: { name: "purchase", parameters: [{ name: "value", type: "number", required: true }, { name: "tax", type: "number", required: false }] }, sentences: ["parameter value: number → number, required", "parameter tax (number) added", "parameter coupon (string) removed"] },
];

describe("changes of configured items, in sentences", () => {
  test.each(CASES)("$kind: $name", ({ kind, before, after, sentences }) => {
    expect(describeEntityChange(kind, before, after, names)).toEqual(sentences);
  });

  test("no sentence carries an id, a field path, null or JSON", () => {
    const all = CASES.flatMap((c) => describeEntityChange(c.kind, c.before, c.after, names)).join("\n");
    expect(all).not.toMatch(/trg_|var_|evt_|usr_|null|undefined|[{}[\]"]|conditions\.|\.0\./);
  });

  test("an unchanged item says nothing", () => {
    for (const c of CASES) expect(describeEntityChange(c.kind, c.before, c.before, names)).toEqual([]);
  });
});

const entry = (over: Partial<AuditLike>): AuditLike => ({ action: "update", entityType: "destination", entityLabel: "Shop / Meta", before: null, after: null, ...over });
const auditDestination = (definition: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ name: "Meta", description: "", ownerId: null, definition: { platform: "meta", ids: { pixelId: "123456789" }, events: [], regions: null, ...definition }, secretsSet: ["accessToken"], ...extra });

type AuditCase = { name: string; entry: AuditLike; summary: string; changes: string[] };

const AUDIT_CASES: AuditCase[] = [
  {
    name: "a test code changed inside a destination's definition",
    entry: entry({ before: auditDestination({ testEventCode: "TEST1" }), after: auditDestination({ testEventCode: "TEST2" }) }),
    summary: "changed destination Shop / Meta",
    changes: ["test event code: TEST1 → TEST2"],
  },
  {
    name: "a destination's access token replaced",
    entry: entry({ before: auditDestination({}), after: auditDestination({}, { secretsWritten: ["accessToken"] }) }),
    summary: "changed destination Shop / Meta",
    changes: ["Conversions API access token replaced"],
  },
  {
    name: "a trigger's condition",
    entry: entry({ entityType: "trigger", entityLabel: "Shop / Purchase on thank-you", before: { name: "Purchase on thank-you", definition: { type: "data_layer_event", eventName: "purchase", conditions: [condition()] } }, after: { name: "Purchase on thank-you", definition: { type: "data_layer_event", eventName: "purchase", conditions: [condition({ value: "10" })] } } }),
    summary: "changed trigger Shop / Purchase on thank-you",
    changes: ["condition 1 — data layer value greater than 0 → greater than 10"],
  },
  {
    name: "an event's mapping (ids named)",
    entry: entry({ entityType: "event", entityLabel: "Shop / purchase", before: { event: "purchase", definition: { triggerIds: [], mappings: {} } }, after: { event: "purchase", definition: { triggerIds: ["trg_thanks"], mappings: { value: "var_total" } } } }),
    summary: "changed event Shop / purchase",
    changes: ["triggers: added Purchase on thank-you", "parameter value mapped to Order total"],
  },
  {
    name: "a variable created",
    entry: entry({ action: "create", entityType: "variable", entityLabel: "Shop / Order total", after: { name: "Order total", description: "", ownerId: null, definition: { kind: "data_layer", path: "ecommerce.value", coerce: "number", defaultValue: null } } }),
    summary: "created variable Shop / Order total",
    changes: ["reads set to data layer value", "data layer path set to ecommerce.value", "type: auto → number"],
  },
  { name: "a publish", entry: entry({ action: "publish", entityType: "environment", entityLabel: "Shop / production", before: { version: 2 }, after: { version: 3, note: "Black Friday" } }), summary: "published to environment Shop / production", changes: ["now serves v3 (was v2)", "note: “Black Friday”"] },
  { name: "a first publish", entry: entry({ action: "publish", entityType: "environment", entityLabel: "Shop / staging", before: { version: null }, after: { version: 1, note: "" } }), summary: "published to environment Shop / staging", changes: ["now serves v1 (was nothing)"] },
  { name: "a rollback", entry: entry({ action: "rollback", entityType: "environment", entityLabel: "Shop / production", before: { version: 3 }, after: { version: 1, note: "oops" } }), summary: "rolled back environment Shop / production", changes: ["now serves v1 (was v3)", "note: “oops”"] },
  { name: "an environment's key rotated", entry: entry({ action: "rotate_key", entityType: "environment", entityLabel: "Shop / staging", before: { name: "staging", kind: "staging" }, after: { name: "staging", kind: "staging", keyRotated: true } }), summary: "rotated the key of environment Shop / staging", changes: ["key replaced"] },
  { name: "a server key created", entry: entry({ action: "rotate_key", entityType: "environment", entityLabel: "Shop / production", before: { name: "production", kind: "production" }, after: { name: "production", kind: "production", serverKeyRotated: true } }), summary: "rotated the key of environment Shop / production", changes: ["server key replaced"] },
  { name: "a version created", entry: entry({ action: "create", entityType: "version", entityLabel: "Shop v4", after: { number: 4, note: "new pixel" } }), summary: "created version Shop v4", changes: ["note: “new pixel”"] },
  { name: "a member's role", entry: entry({ action: "change_role", entityType: "member", entityLabel: "ann@example.com", before: { role: "editor" }, after: { role: "publisher" } }), summary: "changed the role of member ann@example.com", changes: ["role: editor → publisher"] },
  { name: "a member removed", entry: entry({ action: "remove", entityType: "member", entityLabel: "ann@example.com", before: { email: "ann@example.com", role: "editor" } }), summary: "removed member ann@example.com", changes: [] },
  { name: "a token created", entry: entry({ action: "create", entityType: "api_token", entityLabel: "ci", after: { name: "ci", role: "publisher", prefix: "tpk_ab12", expiresAt: null } }), summary: "created API token ci", changes: ["name set to ci", "role set to publisher", "prefix set to tpk_ab12"] },
  { name: "a token revoked", entry: entry({ action: "revoke", entityType: "api_token", entityLabel: "ci", before: { name: "ci", role: "publisher", prefix: "tpk_ab12" } }), summary: "revoked API token ci", changes: [] },
  { name: "an alert channel's secret", entry: entry({ entityType: "alert_channel", entityLabel: "Ops", before: { name: "Ops", enabled: true }, after: { name: "Ops", enabled: true, secretChanged: true } }), summary: "changed alert channel Ops", changes: ["secret replaced"] },
  { name: "a container created (its site id left out)", entry: entry({ action: "create", entityType: "container", entityLabel: "Shop", after: { name: "Shop", siteId: "cl_site_1" } }), summary: "created container Shop", changes: ["name set to Shop"] },
  { name: "the approval rule", entry: entry({ action: "require_approval", entityType: "team", entityLabel: "Acme", before: { productionNeedsApproval: false }, after: { productionNeedsApproval: true } }), summary: "changed the publishing rule of team Acme", changes: ["production needs approval: no → yes"] },
  { name: "a publish request", entry: entry({ action: "request_publish", entityType: "publish_request", entityLabel: "Shop / production", after: { version: 3, environment: "production", note: "checked on staging" } }), summary: "asked to publish to Shop / production", changes: ["v3 to production", "note: “checked on staging”"] },
  { name: "a rejection", entry: entry({ action: "reject", entityType: "publish_request", entityLabel: "Shop / production", before: { status: "pending" }, after: { version: 3, environment: "production", comment: "wrong pixel" } }), summary: "rejected publishing to Shop / production", changes: ["v3 to production", "comment: “wrong pixel”"] },
];

describe("audit entries, in words", () => {
  test.each(AUDIT_CASES)("$name", ({ entry, summary, changes }) => {
    expect(describeAudit(entry)).toBe(summary);
    expect(describeAuditChanges(entry, names)).toEqual(changes);
  });

  test("the ids an entry refers to are found for the name lookup", () => {
    const e = AUDIT_CASES.find((c) => c.name.startsWith("an event's mapping"))!.entry;
    expect(referencedIds([e]).sort()).toEqual(["trg_thanks", "var_total"]);
  });
});
