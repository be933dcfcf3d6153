// Sites: a storefront's hostnames and default currency. A new site comes with its
// container and the three standard environments, so it is usable at once.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { siteDataKeys } from "./purge";
import { purgeRecorded, recordPurge } from "./purge-jobs";
import { afterCommit, announceConfigChange } from "./changes";
import { recordAudit } from "../audit/record";
import { NotFoundError } from "../errors";
import type { SiteCreate, SiteUpdate } from "../schemas/resources";
import { uniquely } from "../db-errors";
import { regionData } from "./regions";
import { newPublicKey } from "./environments";

export const STANDARD_ENVIRONMENTS = [
  { name: "production", kind: "production" },
  { name: "staging", kind: "staging" },
  { name: "development", kind: "development" },
] as const;

export async function listSites(actor: Actor) {
  const db = await prisma();
  return db.site.findMany({
    where: { teamId: actor.teamId },
    orderBy: { name: "asc" },
    include: { container: { select: { id: true } }, _count: { select: { regions: true } } },
  });
}

export async function getSite(actor: Actor, id: string) {
  const db = await prisma();
  const site = await db.site.findFirst({
    where: { id, teamId: actor.teamId },
    include: {
      regions: { orderBy: { code: "asc" } },
      container: { include: { environments: { orderBy: [{ kind: "asc" }, { createdAt: "asc" }], omit: { serverKeyHash: true } } } },
    },
  });
  if (!site) throw new NotFoundError("Site");
  return site;
}

export async function createSite(actor: Actor, input: SiteCreate) {
  const db = await prisma();
  const id = await uniquely("regions", "Two regions share a code", () =>
    db.$transaction(async (tx) => {
      const site = await tx.site.create({
        data: {
          teamId: actor.teamId,
          name: input.name,
          hostnames: input.hostnames,
          defaultCurrency: input.defaultCurrency,
          regions: { create: input.regions.map((r) => ({ teamId: actor.teamId, ...regionData(r) })) },
          container: {
            create: {
              teamId: actor.teamId,
              name: input.name,
              environments: {
                create: STANDARD_ENVIRONMENTS.map((e) => ({ teamId: actor.teamId, ...e, publicKey: newPublicKey() })),
              },
            },
          },
        },
        include: { regions: true, container: { include: { environments: true } } },
      });
      await recordAudit(tx, actor, {
        action: "create",
        entityType: "site",
        entityId: site.id,
        entityLabel: site.name,
        after: siteSnapshot(site),
      });
      return site.id;
    }),
  );
  return getSite(actor, id);
}

export async function updateSite(actor: Actor, id: string, input: SiteUpdate) {
  const db = await prisma();
  await db.$transaction(async (tx) => {
    const before = await tx.site.findFirst({ where: { id, teamId: actor.teamId } });
    if (!before) throw new NotFoundError("Site");
    const after = await tx.site.update({ where: { id }, data: input });
    await recordAudit(tx, actor, {
      action: "update",
      entityType: "site",
      entityId: id,
      entityLabel: after.name,
      before: siteSnapshot(before),
      after: siteSnapshot(after),
    });
  });
  return getSite(actor, id);
}

/**
 * Deletes a site: its configuration at once, its collected events and deliveries in the
 * background (lib/config/purge-jobs.ts). One transaction deletes the site's row (the
 * configuration goes by cascade), records what its data is found by, tells every process
 * to forget its cached scripts and intake settings, and audits; the purge starts once it
 * commits, so the request answers in the time of the cascade, however much was collected.
 */
export async function deleteSite(actor: Actor, id: string): Promise<void> {
  const db = await prisma();
  const exists = await db.site.findFirst({ where: { id, teamId: actor.teamId }, select: { id: true } });
  if (!exists) throw new NotFoundError("Site");
  const keys = await siteDataKeys(actor.teamId, id);
  await afterCommit(() => db.$transaction(async (tx) => {
    const before = await tx.site.findFirst({ where: { id, teamId: actor.teamId }, include: { regions: true } });
    if (!before) throw new NotFoundError("Site");
    await tx.site.delete({ where: { id } });
    await recordPurge(tx, { teamId: actor.teamId, siteId: id, label: `site ${JSON.stringify(before.name)}`, keys: [keys] });
    await announceConfigChange(tx);
    await recordAudit(tx, actor, {
      action: "delete",
      entityType: "site",
      entityId: id,
      entityLabel: before.name,
      before: siteSnapshot(before),
    });
  }));
  purgeRecorded();
}

type SiteLike = { name: string; hostnames: string[]; defaultCurrency: string; regions?: { code: string }[] };

function siteSnapshot(site: SiteLike) {
  return {
    name: site.name,
    hostnames: site.hostnames,
    defaultCurrency: site.defaultCurrency,
    ...(site.regions ? { regions: site.regions.map((r) => r.code) } : {}),
  };
}
