// Audit entries in words, shared by the overview, the audit log and its API: a summary
// ("changed trigger Shop / Purchase") and what changed, as sentences from the one
// describer (lib/versions/sentences.ts) — names, not ids; "replaced", not secrets.
// Pure (client-safe): the names come from the caller (lib/audit/list.ts looks them up).
import { describeEntityChange, describeFields, words, type EntityKind, type EntityValue, type Names } from "../versions/sentences";

const VERBS: Record<string, string> = {
  create: "created",
  update: "changed",
  delete: "deleted",
  invite: "invited",
  revoke: "revoked",
  remove: "removed",
  join: "joined as",
  change_role: "changed the role of",
  rotate_key: "rotated the key of",
  preview: "opened a preview of",
  publish: "published to",
  rollback: "rolled back",
  import: "imported into",
  replay: "replayed",
  send_test_event: "sent a test event to",
  open: "opened",
  resolve: "resolved",
  acknowledge: "acknowledged",
  mute: "muted",
  unmute: "unmuted",
  reset: "reset to its defaults",
  test: "sent a test through",
  require_approval: "changed the publishing rule of",
};

export const NOUNS: Record<string, string> = {
  site: "site",
  region: "region",
  container: "container",
  environment: "environment",
  team: "team",
  member: "member",
  invite: "invitation for",
  api_token: "API token",
  plan_event: "tracking plan event",
  event: "event",
  trigger: "trigger",
  variable: "variable",
  destination: "destination",
  version: "version",
  delivery: "",
  incident: "incident",
  alert_rule: "alert rule",
  alert_channel: "alert channel",
  publish_request: "publish request",
};

const REQUEST_VERBS: Record<string, string> = { request_publish: "asked to publish to", approve: "approved publishing to", reject: "rejected publishing to" };

export function describeAudit(entry: { action: string; entityType: string; entityLabel: string }): string {
  if (entry.action === "join") return `joined the team (${entry.entityLabel})`;
  if (entry.entityType === "publish_request" && REQUEST_VERBS[entry.action]) return `${REQUEST_VERBS[entry.action]} ${entry.entityLabel}`;
  return [VERBS[entry.action] ?? entry.action, NOUNS[entry.entityType] ?? entry.entityType, entry.entityLabel].filter(Boolean).join(" ");
}

export const ENTITY_TYPES = Object.keys(NOUNS);

const ENTITY_KINDS: ReadonlySet<string> = new Set<EntityKind>(["site", "region", "plan_event", "event", "trigger", "variable", "destination"]);

const record = (v: unknown): Record<string, unknown> => (typeof v === "object" && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});

/** An audit snapshot of a configured item, flattened the way a version snapshot holds it. */
function entityValue(type: string, value: unknown): EntityValue {
  const v = record(value);
  if (type === "event") return { ...record(v.definition), name: v.event, description: v.description, ownerId: v.ownerId };
  if (type === "region") return { ...v, name: undefined, title: v.name };
  if ("definition" in v) return { ...record(v.definition), name: v.name, description: v.description, ownerId: v.ownerId, secretsSet: v.secretsSet, secretsWritten: v.secretsWritten };
  return v;
}

/** Internal ids say nothing to a reader; the summary already names the item. */
function withoutIds(value: unknown): Record<string, unknown> {
  return Object.fromEntries(Object.entries(record(value)).filter(([k]) => !/(Id|Ids|^id)$/.test(k)));
}

const versionWords = (v: unknown) => (typeof v === "number" ? `v${v}` : "nothing");
const note = (v: unknown) => (typeof v === "string" && v ? [`note: “${v}”`] : []);

export type AuditLike = { action: string; entityType: string; entityLabel: string; before: unknown; after: unknown };

/** What one audit entry changed, in sentences. */
export function describeAuditChanges(entry: AuditLike, names: Names): string[] {
  const before = record(entry.before);
  const after = record(entry.after);
  switch (entry.action) {
    case "publish":
    case "rollback":
      return [`now serves ${versionWords(after.version)} (was ${versionWords(before.version)})`, ...note(after.note)];
    case "create":
      if (entry.entityType === "version") return note(after.note);
      break;
    case "request_publish":
    case "approve":
    case "reject":
      return [
        ...(after.version !== undefined ? [`${versionWords(after.version)} to ${words(after.environment)}`] : []),
        ...note(after.note),
        ...(typeof after.comment === "string" && after.comment ? [`comment: “${after.comment}”`] : []),
      ];
  }
  if (entry.action === "delete" || entry.action === "remove" || entry.action === "revoke") return [];
  if (ENTITY_KINDS.has(entry.entityType)) return describeEntityChange(entry.entityType as EntityKind, entityValue(entry.entityType, entry.before), entityValue(entry.entityType, entry.after), names);
  return describeFields(withoutIds(entry.before), withoutIds(entry.after));
}

/** The ids an entry's before and after refer to (triggers, variables, events, people), to look their names up. */
export function referencedIds(entries: { before: unknown; after: unknown }[]): string[] {
  const ids = new Set<string>();
  const walk = (v: unknown, key = "") => {
    if (typeof v === "string" && /(Id|Ids|^key)$/.test(key)) ids.add(v);
    else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
    else if (typeof v === "object" && v !== null) for (const [k, x] of Object.entries(v)) walk(x, key === "mappings" ? "mappedId" : k);
  };
  for (const e of entries) {
    walk(e.before);
    walk(e.after);
  }
  return [...ids];
}
