// Regions of a site: code, countries and hostname/path rules, currency, consent default.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { NotFoundError } from "../errors";
import type { RegionCreate, RegionUpdate } from "../schemas/resources";
import { uniquely } from "../db-errors";

export function regionData(input: RegionCreate) {
  return {
    code: input.code,
    name: input.name,
    countries: input.countries,
    rules: input.rules,
    currency: input.currency ?? null,
    consentDefault: input.consentDefault,
  };
}

const TAKEN = "This site already has a region with this code";

export async function listRegions(actor: Actor, siteId: string) {
  const db = await prisma();
  const site = await db.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true } });
  if (!site) throw new NotFoundError("Site");
  return db.region.findMany({ where: { siteId, teamId: actor.teamId }, orderBy: { code: "asc" } });
}

export async function getRegion(actor: Actor, id: string) {
  const db = await prisma();
  const region = await db.region.findFirst({ where: { id, teamId: actor.teamId } });
  if (!region) throw new NotFoundError("Region");
  return region;
}

export async function createRegion(actor: Actor, siteId: string, input: RegionCreate) {
  const db = await prisma();
  return uniquely("code", TAKEN, () =>
    db.$transaction(async (tx) => {
      const site = await tx.site.findFirst({ where: { id: siteId, teamId: actor.teamId }, select: { id: true, name: true } });
      if (!site) throw new NotFoundError("Site");
      const region = await tx.region.create({ data: { teamId: actor.teamId, siteId, ...regionData(input) } });
      await recordAudit(tx, actor, {
        action: "create",
        entityType: "region",
        entityId: region.id,
        entityLabel: `${site.name} / ${region.code}`,
        after: regionSnapshot(region),
      });
      return region;
    }),
  );
}

export async function updateRegion(actor: Actor, id: string, input: RegionUpdate) {
  const db = await prisma();
  return uniquely("code", TAKEN, () =>
    db.$transaction(async (tx) => {
      const before = await tx.region.findFirst({ where: { id, teamId: actor.teamId }, include: { site: true } });
      if (!before) throw new NotFoundError("Region");
      const after = await tx.region.update({ where: { id }, data: input });
      await recordAudit(tx, actor, {
        action: "update",
        entityType: "region",
        entityId: id,
        entityLabel: `${before.site.name} / ${after.code}`,
        before: regionSnapshot(before),
        after: regionSnapshot(after),
      });
      return after;
    }),
  );
}

export async function deleteRegion(actor: Actor, id: string): Promise<void> {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const before = await tx.region.findFirst({ where: { id, teamId: actor.teamId }, include: { site: true } });
    if (!before) throw new NotFoundError("Region");
    await tx.region.delete({ where: { id } });
    await recordAudit(tx, actor, {
      action: "delete",
      entityType: "region",
      entityId: id,
      entityLabel: `${before.site.name} / ${before.code}`,
      before: regionSnapshot(before),
    });
  });
}

type RegionLike = {
  code: string;
  name: string;
  countries: string[];
  rules: unknown;
  currency: string | null;
  consentDefault: string;
};

function regionSnapshot(r: RegionLike) {
  return {
    code: r.code,
    name: r.name,
    countries: r.countries,
    rules: r.rules,
    currency: r.currency,
    consentDefault: r.consentDefault,
  };
}
