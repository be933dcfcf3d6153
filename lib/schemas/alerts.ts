// Requests about alerts: rule settings (one schema per kind, with the defaults every site
// starts with), channels, incidents.
import { z } from "zod";
import { name } from "./common";

const percent = z.number().min(1, "must be at least 1").max(100, "must be at most 100");
const count = (max: number) => z.number().int("must be a whole number").min(1, "must be at least 1").max(max, `must be at most ${max}`);

/** Each kind's settings; `.default()` values are what every site gets until someone changes them. */
export const RULE_SETTINGS = {
  volume_drop: z.strictObject({
    dropPercent: percent.default(50).meta({ description: "Alert when the last hour is this much below the baseline" }),
    minVolume: count(1_000_000).default(20).meta({ description: "Events per hour the baseline must reach; quieter events never alert" }),
  }),
  event_silent: z.strictObject({
    minutes: count(24 * 60).default(60).meta({ description: "No event for this long (read in whole clock hours)" }),
    minEvents: count(1_000_000).default(100).meta({ description: "Events in the 24 hours before that make an event active" }),
  }),
  rejection_rate: z.strictObject({
    percent: percent.default(10),
    minVolume: count(1_000_000).default(20).meta({ description: "Events in the last hour needed to judge the rate" }),
  }),
  failure_rate: z.strictObject({
    percent: percent.default(10),
    minVolume: count(1_000_000).default(20).meta({ description: "Deliveries in the last hour needed to judge the rate" }),
  }),
  backlog: z.strictObject({
    minutes: count(24 * 60).default(15).meta({ description: "Alert when a delivery has waited this long" }),
  }),
  dedup_coverage: z.strictObject({
    percent: percent.default(50).meta({ description: "Alert below this share of conversions received from both browser and server (Meta's goal: 75)" }),
    minVolume: count(1_000_000).default(50).meta({ description: "Conversions in 24 hours needed to judge coverage" }),
  }),
  silent_drop: z.strictObject({
    minCount: count(1_000_000).default(1).meta({ description: "Events a platform refused inside a 2xx answer in the last hour" }),
  }),
  test_only: z.strictObject({
    minEvents: count(1_000_000).default(20).meta({ description: "Production deliveries in 24 hours, all of them test events" }),
  }),
  order_accuracy: z.strictObject({
    percent: percent.default(90).meta({ description: "Alert when a destination's accuracy against backend orders falls below this" }),
    hours: count(7 * 24).default(2).meta({ description: "The window: orders placed in these last hours" }),
    minOrders: count(1_000_000).default(10).meta({ description: "Paid orders in the window needed to judge accuracy" }),
  }),
} as const;

export type RuleKind = keyof typeof RULE_SETTINGS;
export const RULE_KINDS = Object.keys(RULE_SETTINGS) as RuleKind[];
export type RuleSettings<K extends RuleKind = RuleKind> = z.infer<(typeof RULE_SETTINGS)[K]>;

export const ruleKind = z.enum(RULE_KINDS as [RuleKind, ...RuleKind[]]);

/** PATCH of one rule: settings are checked against the kind's schema by the domain code (the kind is in the path). */
export const alertRuleUpdate = z
  .strictObject({
    enabled: z.boolean().optional(),
    settings: z.record(z.string(), z.number()).optional().meta({ description: "Only the thresholds to change; see GET for each kind's" }),
    reset: z.literal(true).optional().meta({ description: "Back to the defaults (enabled, default thresholds)" }),
  })
  .meta({ id: "AlertRuleUpdate" });
export type AlertRuleUpdate = z.infer<typeof alertRuleUpdate>;

const secret = z.string().min(16, "must be at least 16 characters").max(200, "must be at most 200 characters");
const email = z.string().trim().toLowerCase().email("must be an email address").max(254);

export const alertChannelCreate = z
  .discriminatedUnion("kind", [
    z.strictObject({
      kind: z.literal("webhook"),
      name,
      url: z.string().trim().max(2000, "must be at most 2000 characters").meta({ description: "https URL; private and loopback addresses are refused" }),
      secret: secret.meta({ description: "HMAC-SHA256 signing secret; write-only" }),
      enabled: z.boolean().default(true),
    }),
    z.strictObject({
      kind: z.literal("email"),
      name,
      recipients: z.array(email).min(1, "needs at least one recipient").max(20, "at most 20 recipients"),
      enabled: z.boolean().default(true),
    }),
  ])
  .meta({ id: "AlertChannelCreate" });
export type AlertChannelCreate = z.infer<typeof alertChannelCreate>;

export const alertChannelUpdate = z
  .strictObject({
    name: name.optional(),
    url: z.string().trim().max(2000).optional(),
    secret: secret.optional().meta({ description: "A new signing secret; absent keeps the old one" }),
    recipients: z.array(email).min(1, "needs at least one recipient").max(20).optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "AlertChannelUpdate" });
export type AlertChannelUpdate = z.infer<typeof alertChannelUpdate>;

export const incidentQuery = z.strictObject({
  status: z.enum(["open", "resolved"]).optional(),
  before: z.string().datetime({ message: "must be an ISO date-time" }).optional().meta({ description: "Incidents opened before this time (the next page)" }),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export const incidentMute = z
  .strictObject({
    minutes: z.number().int("must be a whole number").min(0, "must be 0 (unmute) or more").max(30 * 24 * 60, "must be at most 30 days"),
  })
  .meta({ id: "IncidentMute" });
