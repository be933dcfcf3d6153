// What the stream, install and delivery-log pages need around their data: the sites with
// their environments and destinations (the "Live events" hub), and one environment's
// event names and destinations for the stream's filters.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { NotFoundError } from "../errors";
import type { Snapshot } from "../versions/snapshot";

/** Every site of the team (or the one `siteId`), with what to install and watch. */
export async function watchOverview(actor: Actor, siteId?: string) {
  const db = await prisma();
  const sites = await db.site.findMany({
    where: { teamId: actor.teamId, ...(siteId ? { id: siteId } : {}) },
    orderBy: { name: "asc" },
    select: {
      id: true,
      name: true,
      container: {
        select: {
          id: true,
          environments: { orderBy: [{ kind: "asc" }, { createdAt: "asc" }], select: { id: true, name: true, kind: true, versionId: true } },
          destinations: { orderBy: { name: "asc" }, select: { id: true, name: true, definition: true } },
        },
      },
    },
  });
  return sites.map((s) => ({
    id: s.id,
    name: s.name,
    environments: s.container?.environments ?? [],
    destinations: (s.container?.destinations ?? []).map((d) => ({ id: d.id, name: d.name, platform: (d.definition as { platform?: string }).platform ?? "" })),
  }));
}

export async function streamContext(actor: Actor, siteId: string, environmentId: string) {
  const db = await prisma();
  const env = await db.environment.findFirst({
    where: { id: environmentId, teamId: actor.teamId, container: { siteId } },
    include: { version: { select: { number: true, snapshot: true } }, container: { select: { site: { select: { id: true, name: true } }, destinations: { orderBy: { name: "asc" }, select: { id: true, name: true } } } } },
  });
  if (!env) throw new NotFoundError("Environment");
  const snapshot = env.version?.snapshot as unknown as Snapshot | undefined;
  return {
    environment: { id: env.id, name: env.name, kind: env.kind },
    site: env.container.site,
    liveVersion: env.version?.number ?? null,
    eventNames: (snapshot?.events ?? []).map((e) => e.name),
    destinations: env.container.destinations,
  };
}

/** A destination of a site's container, for its delivery log. */
export async function siteDestination(actor: Actor, siteId: string, destinationId: string) {
  const db = await prisma();
  const d = await db.destination.findFirst({
    where: { id: destinationId, teamId: actor.teamId, container: { siteId } },
    select: { id: true, name: true, definition: true, container: { select: { site: { select: { id: true, name: true } } } } },
  });
  if (!d) throw new NotFoundError("Destination");
  return { id: d.id, name: d.name, platform: (d.definition as { platform?: string }).platform ?? "", site: d.container.site };
}
