// Human wording for audit entries, shared by the overview and the audit log.
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
};

const NOUNS: Record<string, string> = {
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
};

export function describeAudit(entry: { action: string; entityType: string; entityLabel: string }): string {
  if (entry.action === "join") return `joined the team (${entry.entityLabel})`;
  return [VERBS[entry.action] ?? entry.action, NOUNS[entry.entityType] ?? entry.entityType, entry.entityLabel].filter(Boolean).join(" ");
}

export const ENTITY_TYPES = Object.keys(NOUNS);
