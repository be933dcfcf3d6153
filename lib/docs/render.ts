// The tracking-plan document as a file to share: Markdown (for a wiki or a repository)
// and a standalone HTML page (styles inline, nothing loaded from elsewhere). Pure.
import type { DocChange, DocEvent, TrackingPlanDoc } from "./tracking-plan";

function day(date: Date): string {
  return date.toISOString().slice(0, 16).replace("T", " ") + " UTC";
}

export function changeInWords(change: DocChange | null): string {
  if (!change) return "no recorded change";
  const verb = change.action === "create" ? "created" : change.action === "delete" ? "deleted" : "changed";
  return `${verb} ${day(change.at)} by ${change.by}`;
}

/** A cell of a Markdown table: no line breaks, pipes escaped. */
function md(text: string): string {
  return text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\s*\n\s*/g, " ");
}

function eventMarkdown(e: DocEvent): string[] {
  const lines = [`## ${e.name}${e.enabled ? "" : " (off)"}`, ""];
  if (e.description) lines.push(md(e.description), "");
  lines.push(`- Owner: ${e.owner ? md(e.owner) : "nobody yet"}`, `- Last change: ${md(changeInWords(e.lastChange))}`, "");
  lines.push("### Parameters", "");
  if (e.parameters.length) {
    lines.push("| Parameter | Type | Required | Source |", "|---|---|---|---|");
    for (const p of e.parameters) lines.push(`| ${md(p.name)} | ${md(p.type)} | ${p.required ? "yes" : "no"} | ${p.source ? md(p.source) : "not mapped"} |`);
  } else lines.push("None.");
  if (e.userData.length) {
    lines.push("", "User data (hashed before storage):", "");
    for (const u of e.userData) lines.push(`- ${md(u.field)}: ${md(u.source)}`);
  }
  lines.push("", "### Triggers", "");
  lines.push(...(e.triggers.length ? e.triggers.map((t) => `- **${md(t.name)}**: ${md(t.words)}`) : ["None: the event does not fire on its own."]));
  lines.push("", "### Destinations", "");
  if (e.destinations.length) {
    lines.push("| Destination | Platform | Event name there |", "|---|---|---|");
    for (const d of e.destinations) lines.push(`| ${md(d.name)} | ${md(d.platform)} | ${md(d.eventName)} |`);
  } else lines.push("None: the event is collected but sent nowhere.");
  lines.push("");
  return lines;
}

export function toMarkdown(doc: TrackingPlanDoc): string {
  const lines = [
    `# Tracking plan: ${md(doc.site.name)}`,
    "",
    `${doc.site.hostnames.map(md).join(", ")} · container ${doc.container ? md(doc.container.name) : "none"} · generated ${day(doc.generatedAt)} from the draft.`,
    "",
  ];
  if (!doc.events.length) lines.push("No events yet.", "");
  for (const e of doc.events) lines.push(...eventMarkdown(e));
  lines.push("## Items without an owner", "");
  lines.push(...(doc.unowned.length ? doc.unowned.map((u) => `- ${u.kind}: ${md(u.name)}`) : ["Every item has an owner."]), "");
  return lines.join("\n");
}

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
function h(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function table(head: string[], rows: string[][]): string {
  return `<table><thead><tr>${head.map((c) => `<th scope="col">${h(c)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${h(c)}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;
}

function eventHtml(e: DocEvent): string {
  const parts = [`<section><h2>${h(e.name)}${e.enabled ? "" : " (off)"}</h2>`];
  if (e.description) parts.push(`<p>${h(e.description)}</p>`);
  parts.push(`<p class="meta">Owner: ${h(e.owner ?? "nobody yet")} · Last change: ${h(changeInWords(e.lastChange))}</p>`);
  parts.push("<h3>Parameters</h3>");
  parts.push(e.parameters.length ? table(["Parameter", "Type", "Required", "Source"], e.parameters.map((p) => [p.name, p.type, p.required ? "yes" : "no", p.source ?? "not mapped"])) : "<p>None.</p>");
  if (e.userData.length) parts.push(`<p>User data (hashed before storage):</p><ul>${e.userData.map((u) => `<li>${h(u.field)}: ${h(u.source)}</li>`).join("")}</ul>`);
  parts.push("<h3>Triggers</h3>");
  parts.push(e.triggers.length ? `<ul>${e.triggers.map((t) => `<li><strong>${h(t.name)}</strong>: ${h(t.words)}</li>`).join("")}</ul>` : "<p>None: the event does not fire on its own.</p>");
  parts.push("<h3>Destinations</h3>");
  parts.push(e.destinations.length ? table(["Destination", "Platform", "Event name there"], e.destinations.map((d) => [d.name, d.platform, d.eventName])) : "<p>None: the event is collected but sent nowhere.</p>");
  parts.push("</section>");
  return parts.join("\n");
}

const STYLE = `body{font:15px/1.5 system-ui,sans-serif;color:#0f172a;max-width:60rem;margin:2rem auto;padding:0 1rem}
h1{font-size:1.6rem}h2{border-top:1px solid #e2e8f0;padding-top:1rem}.meta{color:#475569}
table{border-collapse:collapse;width:100%;margin:.5rem 0}th,td{border:1px solid #e2e8f0;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f8fafc}`;

export function toHtml(doc: TrackingPlanDoc): string {
  const title = `Tracking plan: ${doc.site.name}`;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${h(title)}</title><style>${STYLE}</style></head>
<body><main><h1>${h(title)}</h1>
<p class="meta">${h(doc.site.hostnames.join(", "))} · container ${h(doc.container?.name ?? "none")} · generated ${h(day(doc.generatedAt))} from the draft.</p>
${doc.events.length ? doc.events.map(eventHtml).join("\n") : "<p>No events yet.</p>"}
<section><h2>Items without an owner</h2>${doc.unowned.length ? `<ul>${doc.unowned.map((u) => `<li>${h(u.kind)}: ${h(u.name)}</li>`).join("")}</ul>` : "<p>Every item has an owner.</p>"}</section>
</main></body></html>
`;
}
