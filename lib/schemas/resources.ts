// Request and response schemas of the REST API, per resource.
import { z } from "zod";
import { country, currency, email, hostname, id, name, password, role, unique } from "./common";

// ---- regions --------------------------------------------------------------------------

export const regionRule = z
  .strictObject({
    hostname: hostname.optional(),
    pathPrefix: z
      .string()
      .trim()
      .max(200)
      .refine((v) => v.startsWith("/"), "must start with /")
      .optional(),
  })
  .refine((r) => r.hostname !== undefined || r.pathPrefix !== undefined, "needs a hostname, a path that starts with /, or both")
  .meta({ description: "Matches when the page's hostname and path prefix (each if given) match" });

const regionFields = {
  code: z
    .string()
    .trim()
    .toLowerCase()
    .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1–32 lower-case letters, digits, - or _")
    .meta({ example: "eu" }),
  name,
  countries: z.array(country).max(250).default([]).transform(unique),
  rules: z.array(regionRule).max(50).default([]),
  currency: currency.nullable().optional(),
  consentDefault: z.enum(["granted", "denied"]).default("granted").meta({
    description: "Whether ad storage is granted before the visitor chooses (EU: denied)",
  }),
};

export const regionCreate = z.strictObject(regionFields).meta({ id: "RegionCreate" });
export const regionUpdate = z
  .strictObject({
    code: regionFields.code.optional(),
    name: name.optional(),
    countries: z.array(country).max(250).transform(unique).optional(),
    rules: z.array(regionRule).max(50).optional(),
    currency: currency.nullable().optional(),
    consentDefault: z.enum(["granted", "denied"]).optional(),
  })
  .meta({ id: "RegionUpdate" });
export type RegionCreate = z.infer<typeof regionCreate>;
export type RegionUpdate = z.infer<typeof regionUpdate>;

// ---- sites ----------------------------------------------------------------------------

const hostnames = z
  .array(hostname)
  .min(1, "needs at least one hostname")
  .max(50)
  .transform(unique);

export const siteCreate = z
  .strictObject({
    name,
    hostnames,
    defaultCurrency: currency,
    regions: z.array(regionCreate).max(50).default([]).meta({ description: "Regions created with the site" }),
  })
  .meta({ id: "SiteCreate" });
export const siteUpdate = z
  .strictObject({ name: name.optional(), hostnames: hostnames.optional(), defaultCurrency: currency.optional() })
  .meta({ id: "SiteUpdate" });
export type SiteCreate = z.infer<typeof siteCreate>;
export type SiteUpdate = z.infer<typeof siteUpdate>;

// ---- containers and environments ------------------------------------------------------

export const containerCreate = z.strictObject({ siteId: id, name }).meta({ id: "ContainerCreate" });
export const containerUpdate = z.strictObject({ name: name.optional() }).meta({ id: "ContainerUpdate" });
export type ContainerCreate = z.infer<typeof containerCreate>;
export type ContainerUpdate = z.infer<typeof containerUpdate>;

export const environmentKind = z.enum(["production", "staging", "development", "custom"]);
export const environmentCreate = z
  .strictObject({
    name: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9][a-z0-9_-]{0,31}$/, "must be 1–32 lower-case letters, digits, - or _"),
    kind: environmentKind.default("custom"),
  })
  .meta({ id: "EnvironmentCreate" });
export const environmentUpdate = z
  .strictObject({
    name: environmentCreate.shape.name.optional(),
    rotateKey: z.literal(true).optional().meta({ description: "Issue a new public key; the old URL stops working" }),
    rotateServerKey: z.literal(true).optional().meta({ description: "Issue a new server key for POST /api/v1/events; answered once as serverKey, the old key stops working" }),
  })
  .meta({ id: "EnvironmentUpdate" });
export type EnvironmentCreate = z.infer<typeof environmentCreate>;
export type EnvironmentUpdate = z.infer<typeof environmentUpdate>;

// ---- team, members, invites, tokens ---------------------------------------------------

/** The most days a team may keep its collected data (ten years). */
export const MAX_RETENTION_DAYS = 3650;
export const retentionDays = z
  .number({ error: "must be a whole number of days" })
  .int("must be a whole number of days")
  .min(1, "must be at least 1 day")
  .max(MAX_RETENTION_DAYS, `must be at most ${MAX_RETENTION_DAYS} days`)
  .meta({ description: "Days collected events, finished deliveries and request logs are kept; null: the server's default (TAGPIPE_RETENTION_DAYS)", example: 90 });
export const teamUpdate = z
  .strictObject({
    name: name.optional(),
    retentionDays: retentionDays.nullable().optional(),
    productionNeedsApproval: z.boolean().optional().meta({ description: "Publishing to production needs a request approved by another publisher or owner" }),
  })
  .refine((t) => t.name !== undefined || t.retentionDays !== undefined || t.productionNeedsApproval !== undefined, { message: "send name, retentionDays or productionNeedsApproval", path: ["name"] })
  .meta({ id: "TeamUpdate" });
export type TeamUpdate = z.infer<typeof teamUpdate>;
export const teamDelete = z
  .strictObject({ name: z.string().max(200).meta({ description: "The team's name, typed again to confirm" }) })
  .meta({ id: "TeamDelete" });
export const notificationsRead = z
  .strictObject({ ids: z.array(z.string().min(1).max(64)).max(200).optional().meta({ description: "Which to mark read; absent: all" }) })
  .meta({ id: "NotificationsRead" });
export const memberUpdate = z.strictObject({ role }).meta({ id: "MemberUpdate" });
export const inviteCreate = z.strictObject({ email, role }).meta({ id: "InviteCreate" });
export const inviteAccept = z
  .strictObject({ token: z.string().min(10).max(200), name, password })
  .meta({ id: "InviteAccept" });
export const signup = z.strictObject({ email, name, password, teamName: name }).meta({ id: "Signup" });

export const tokenCreate = z
  .strictObject({
    name,
    role,
    expiresInDays: z.number().int().min(1).max(3650).nullable().default(null),
  })
  .meta({ id: "TokenCreate" });
export type TokenCreate = z.infer<typeof tokenCreate>;

/** A day (2026-03-01) or an instant (2026-03-01T12:00:00Z). */
const dateOrTime = z.union([z.iso.date(), z.iso.datetime({ offset: true })], { error: "must be a date (2026-03-01) or a date and time (2026-03-01T12:00:00Z)" });

export const auditQuery = z
  .strictObject({
    entityType: z.string().max(40).optional(),
    entityId: z.string().max(64).optional(),
    actor: z.string().max(64).optional().meta({ description: "user id or token id" }),
    q: z.string().trim().max(100).optional().meta({ description: "words to find in the item's name, the person's name or the action" }),
    from: dateOrTime.optional().meta({ description: "entries from this day (inclusive) or instant" }),
    to: dateOrTime.optional().meta({ description: "entries up to this day (inclusive) or before this instant" }),
    page: z.coerce.number().int().min(1).max(10000).default(1),
    limit: z.coerce.number().int().min(1).max(200).default(50),
  })
  .superRefine((q, ctx) => {
    if (q.from && q.to && auditRange(q).gte! >= auditRange(q).lt!) ctx.addIssue({ code: "custom", path: ["to"], message: "must be after from" });
  });

/** The instants a query's from/to stand for: a day `to` includes that whole day (UTC). */
export function auditRange(q: { from?: string; to?: string }): { gte?: Date; lt?: Date } {
  const day = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);
  return {
    ...(q.from ? { gte: new Date(day(q.from) ? `${q.from}T00:00:00Z` : q.from) } : {}),
    ...(q.to ? { lt: day(q.to) ? new Date(Date.parse(`${q.to}T00:00:00Z`) + 86_400_000) : new Date(q.to) } : {}),
  };
}
