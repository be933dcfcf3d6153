// "Send test event": a server event for an environment, sent through the collector's own
// server path (the one POST /api/v1/events takes after its key check), marked so it is
// recognizable: test: true (non-production handling at every destination) and an
// event_id starting "tagpipe_test_". It then shows in the stream like any other.
import { randomUUID } from "node:crypto";
import type { Actor } from "../auth/actor";
import { prisma } from "../db";
import { NotFoundError, ValidationError } from "../errors";
import { acceptFromServer } from "../collector/intake";
import { intakeByPublicKey } from "../collector/intake-config";
import { recordAudit } from "../audit/record";

const SAMPLE: Record<string, unknown> = { number: 1, string: "tagpipe-test", list: ["tagpipe-test"], boolean: true, object: {} };

/** Parameters that pass the event's rules: the required ones by type, plus the usual conversion fields. */
export function sampleParams(def: { required: string[]; types: Record<string, string> }, currency: string, eventId: string): Record<string, unknown> {
  const params: Record<string, unknown> = { value: 1, currency, order_id: eventId, content_ids: ["tagpipe-test"] };
  for (const name of def.required) {
    if (params[name] === undefined) params[name] = SAMPLE[def.types[name] ?? "string"] ?? "tagpipe-test";
  }
  return params;
}

export async function sendTestEvent(actor: Actor, environmentId: string, input: { name?: string }, ip: string) {
  const db = await prisma();
  const env = await db.environment.findFirst({ where: { id: environmentId, teamId: actor.teamId }, include: { container: { select: { name: true, site: { select: { defaultCurrency: true } } } } } });
  if (!env) throw new NotFoundError("Environment");
  const config = await intakeByPublicKey(env.publicKey);
  if (!config || config.versionNumber === null) throw new ValidationError([{ path: "environmentId", message: "no version is published to this environment yet: publish one first" }]);
  const name = input.name ?? (config.events.has("purchase") ? "purchase" : [...config.events.keys()][0]);
  const def = name ? config.events.get(name) : undefined;
  if (!name || !def) throw new ValidationError([{ path: "name", message: name ? `${name} is not an event of the live version` : "the live version handles no event" }]);
  const eventId = `tagpipe_test_${randomUUID()}`;
  const event = {
    event_id: eventId,
    name,
    test: true,
    params: sampleParams(def, env.container.site.defaultCurrency, eventId),
    user_data: { external_id: "tagpipe-test", client_user_agent: "Tagpipe test event" },
    ...(config.hostnames[0] ? { page: { url: `https://${config.hostnames[0].replace(/^\*\./, "")}/tagpipe-test` } } : {}),
  };
  const reply = await acceptFromServer(config, { body: JSON.stringify({ events: [event] }), contentType: "application/json", ip, userAgent: "Tagpipe test event" });
  if (reply.status !== 202) throw new ValidationError([{ path: "body", message: JSON.stringify(reply.body) }]);
  const result = (reply.body as { results: { event_id: string; status: string; errors?: unknown }[] }).results[0];
  // A test event reaches the platforms' test modes: the log says who sent which.
  await recordAudit(db, actor, {
    action: "send_test_event",
    entityType: "environment",
    entityId: env.id,
    entityLabel: `${env.container.name} / ${env.name}`,
    after: { eventId, name, status: result.status },
  });
  return { eventId, name, environmentId: env.id, result };
}
