// What an alert says, once for every channel: a Slack-compatible `text` line (Slack,
// Mattermost and most chat webhooks show it as is) plus the structured fields a program
// reads, and an email subject and body made of the same words.
import { RULE_LABELS } from "../alerts/rules";
import type { RuleKind } from "../../schemas/alerts";

export type AlertMessageKind = "incident.opened" | "incident.resolved" | "test" | PublishMessageKind;
/** Approvals (lib/versions/approvals.ts) speak through the same channels as the alerts. */
export type PublishMessageKind = "publish.requested" | "publish.approved" | "publish.rejected";

export type IncidentSummary = {
  id: string;
  kind: string;
  subject: string;
  subjectLabel: string;
  status: string;
  message: string;
  details: unknown;
  openedAt: Date;
  resolvedAt: Date | null;
};

export type AlertMessage = {
  type: AlertMessageKind;
  text: string;
  site: { id: string; name: string };
  incident: (Omit<IncidentSummary, "openedAt" | "resolvedAt"> & { title: string; openedAt: string; resolvedAt: string | null; url: string | null }) | null;
  sentAt: string;
};

function title(kind: string): string {
  return RULE_LABELS[kind as RuleKind]?.title ?? kind;
}

function minutesBetween(a: Date, b: Date): string {
  const minutes = Math.max(1, Math.round((b.getTime() - a.getTime()) / 60_000));
  return minutes < 120 ? `${minutes} min` : `${Math.round(minutes / 60)} h`;
}

export function alertMessage(type: AlertMessageKind, site: { id: string; name: string }, incident: IncidentSummary | null, baseUrl: string | null, now = new Date()): AlertMessage {
  const url = baseUrl ? `${baseUrl.replace(/\/$/, "")}/sites/${site.id}/alerts${incident ? `#incident-${incident.id}` : ""}` : null;
  let text: string;
  if (type === "test" || !incident) text = `Tagpipe test alert for ${site.name}: this channel works.`;
  else if (type === "incident.opened") text = `:rotating_light: [${site.name}] ${title(incident.kind)}: ${incident.message}`;
  else text = `:white_check_mark: [${site.name}] Resolved after ${minutesBetween(incident.openedAt, incident.resolvedAt ?? now)}: ${title(incident.kind)} for ${incident.subjectLabel}`;
  if (url) text += ` <${url}|Open in Tagpipe>`;
  return {
    type,
    text,
    site,
    incident: incident
      ? {
          id: incident.id,
          kind: incident.kind,
          title: title(incident.kind),
          subject: incident.subject,
          subjectLabel: incident.subjectLabel,
          status: incident.status,
          message: incident.message,
          details: incident.details,
          openedAt: incident.openedAt.toISOString(),
          resolvedAt: incident.resolvedAt?.toISOString() ?? null,
          url,
        }
      : null,
    sentAt: now.toISOString(),
  };
}

/** A message about a publish request: its text says it all, with a link to the request. */
export function publishMessage(type: PublishMessageKind, site: { id: string; name: string }, text: string, url: string | null, now = new Date()): AlertMessage {
  return { type, text: url ? `${text} <${url}|Open in Tagpipe>` : text, site, incident: null, sentAt: now.toISOString() };
}

export function emailOf(message: AlertMessage): { subject: string; text: string } {
  const i = message.incident;
  const subject = message.type.startsWith("publish.")
    ? `[Tagpipe] ${message.site.name}: ${message.text.replace(/ <([^|>]+)\|[^>]+>$/, "").slice(0, 120)}`
    : message.type === "test"
      ? `[Tagpipe] Test alert for ${message.site.name}`
      : message.type === "incident.opened"
        ? `[Tagpipe] ${message.site.name}: ${i!.title} — ${i!.subjectLabel}`
        : `[Tagpipe] Resolved — ${message.site.name}: ${i!.title} — ${i!.subjectLabel}`;
  const lines = [message.text.replace(/ <([^|>]+)\|[^>]+>$/, ""), ""];
  if (i) {
    lines.push(`Rule: ${i.title}`, `Subject: ${i.subjectLabel}`, `Opened: ${i.openedAt}`);
    if (i.resolvedAt) lines.push(`Resolved: ${i.resolvedAt}`);
    if (i.url) lines.push("", i.url);
  }
  const link = / <([^|>]+)\|[^>]+>$/.exec(message.text);
  if (!i && link) lines.push(link[1]);
  return { subject, text: lines.join("\n") };
}
