// Alert rules: every kind is on for every site with the defaults of lib/schemas/alerts.ts
// (a default policy, so sites created before alerts existed are watched too); a site's
// AlertRule row holds only what a publisher or owner changed.
import { prisma } from "../../db";
import type { Actor } from "../../auth/actor";
import { recordAudit } from "../../audit/record";
import { NotFoundError, ValidationError } from "../../errors";
import { fieldProblems } from "../../schemas/problems";
import { RULE_KINDS, RULE_SETTINGS, type AlertRuleUpdate, type RuleKind, type RuleSettings } from "../../schemas/alerts";

export const RULE_LABELS: Record<RuleKind, { title: string; description: string }> = {
  volume_drop: {
    title: "Volume drop",
    description: "An event, or an event at a destination, well below its baseline: the same hour of the week over the previous weeks (with two weeks of history), else the trailing 24 hours",
  },
  event_silent: { title: "Event went silent", description: "An event that was active in the last 24 hours has stopped arriving" },
  rejection_rate: { title: "Rejection rate", description: "Share of an event rejected by the collector in the last hour" },
  failure_rate: { title: "Delivery failure rate", description: "Share of a destination's deliveries that failed in the last hour" },
  backlog: { title: "Delivery backlog", description: "Deliveries waiting to be sent for too long" },
  dedup_coverage: { title: "Deduplication coverage", description: "Share of a conversion received from both the browser and the server, over 24 hours" },
  silent_drop: { title: "Silent drop", description: "A platform answered 2xx but said in its body that it dropped events (error codes, GA4 validation messages, Google Ads partial failures)" },
  test_only: { title: "Only test events", description: "A destination receiving production traffic that is all marked as test" },
  order_accuracy: {
    title: "Order accuracy",
    description: "Share of the backend orders of the last hours that a destination received (or deliberately did not: consent, region, test) — imported orders against conversions delivered",
  },
};

export type EffectiveRule<K extends RuleKind = RuleKind> = { kind: K; enabled: boolean; settings: RuleSettings<K>; custom: boolean };
export type RuleSet = { [K in RuleKind]: EffectiveRule<K> };

function defaults<K extends RuleKind>(kind: K): RuleSettings<K> {
  return RULE_SETTINGS[kind].parse({}) as RuleSettings<K>;
}

/** A stored row over the defaults; a stored threshold that no longer validates falls back to its default. */
function effective<K extends RuleKind>(kind: K, row: { enabled: boolean; settings: unknown } | undefined): EffectiveRule<K> {
  if (!row) return { kind, enabled: true, settings: defaults(kind), custom: false };
  const parsed = RULE_SETTINGS[kind].safeParse({ ...defaults(kind), ...(row.settings as object) });
  return { kind, enabled: row.enabled, settings: (parsed.success ? parsed.data : defaults(kind)) as RuleSettings<K>, custom: true };
}

export function ruleSet(rows: { kind: string; enabled: boolean; settings: unknown }[]): RuleSet {
  const byKind = new Map(rows.map((r) => [r.kind, r]));
  return Object.fromEntries(RULE_KINDS.map((kind) => [kind, effective(kind, byKind.get(kind))])) as RuleSet;
}

async function siteOf(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, name: true } });
  if (!site) throw new NotFoundError("Site");
  return site;
}

function present(rule: EffectiveRule) {
  return { ...rule, ...RULE_LABELS[rule.kind], defaults: defaults(rule.kind) };
}

export async function listAlertRules(actor: Actor, siteId: string) {
  await siteOf(actor, siteId);
  const db = await prisma();
  const rows = await db.alertRule.findMany({ where: { siteId, teamId: actor.teamId } });
  const set = ruleSet(rows);
  return { data: RULE_KINDS.map((kind) => present(set[kind])) };
}

export async function updateAlertRule(actor: Actor, siteId: string, kind: string, input: AlertRuleUpdate) {
  const site = await siteOf(actor, siteId);
  if (!(RULE_KINDS as string[]).includes(kind)) throw new NotFoundError("Alert rule");
  const k = kind as RuleKind;
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const row = await tx.alertRule.findUnique({ where: { siteId_kind: { siteId, kind } } });
    const before = effective(k, row ?? undefined);
    if (input.reset) {
      if (row) await tx.alertRule.delete({ where: { id: row.id } });
    } else {
      const merged = { ...before.settings, ...(input.settings ?? {}) };
      const parsed = RULE_SETTINGS[k].safeParse(merged);
      if (!parsed.success) throw new ValidationError(fieldProblems(parsed.error).map((f) => ({ ...f, path: `settings.${f.path}` })));
      const data = { enabled: input.enabled ?? before.enabled, settings: parsed.data };
      await tx.alertRule.upsert({ where: { siteId_kind: { siteId, kind } }, create: { teamId: actor.teamId, siteId, kind, ...data }, update: data });
    }
    const after = effective(k, input.reset ? undefined : ((await tx.alertRule.findUnique({ where: { siteId_kind: { siteId, kind } } })) ?? undefined));
    await recordAudit(tx, actor, {
      action: input.reset ? "reset" : "update",
      entityType: "alert_rule",
      entityId: `${siteId}:${kind}`,
      entityLabel: `${RULE_LABELS[k].title} on ${site.name}`,
      before: { enabled: before.enabled, settings: before.settings },
      after: { enabled: after.enabled, settings: after.settings },
    });
    return present(after);
  });
}
