// Importing a GTM container into a Tagpipe draft: parse → convert → (merge with the draft)
// → plan → preview or write. A preview answers the report and the diff against the
// current draft and changes nothing; apply writes the same plan in one transaction with
// one audit entry. Either way the draft's problems are the ones a normal edit would show.
import { prisma } from "../db";
import type { Actor } from "../auth/actor";
import { recordAudit } from "../audit/record";
import { assertContainer } from "../config/draft-entities";
import { IMPORT_TRANSACTION, countsOf, exportSnapshot, planImport, writeImport, type ImportCounts, type ImportFile, type ImportPlan } from "../config/transfer";
import { loadDraft, type Snapshot } from "../versions/snapshot";
import { diffSnapshots, type DiffEntry } from "../versions/diff";
import { ValidationError } from "../errors";
import { parseGtmExport } from "./parse";
import { convertGtm } from "./convert";
import { summarize, type ReportLine, type ReportSummary } from "./report";

export type GtmImportOptions = { mode: "preview" | "apply"; strategy: "replace" | "merge" };

export type GtmImportResult = {
  mode: GtmImportOptions["mode"];
  strategy: GtmImportOptions["strategy"];
  applied: boolean;
  gtm: { publicId: string; name: string; tags: number; triggers: number; variables: number };
  summary: ReportSummary;
  report: ReportLine[];
  diff: DiffEntry[];
  /** The draft's entity counts before and after (after: what apply writes). */
  before: ImportCounts;
  after: ImportCounts;
  /** Things to look at that are not about one GTM entity (e.g. two destinations for one pixel after a merge). */
  warnings: string[];
};

type Named = { name: string };
/** `incoming` replaces entries of `base` with the same key, and adds the rest. */
function mergeBy<T>(base: T[], incoming: T[], key: (t: T) => string): T[] {
  const replaced = new Set(incoming.map(key));
  return [...base.filter((b) => !replaced.has(key(b))), ...incoming];
}

/** The draft's own file with the GTM file's entities laid over it by name. */
export function mergeFiles(draft: ImportFile, gtm: ImportFile): ImportFile {
  const name = (x: unknown) => (x as Named).name;
  return {
    ...gtm,
    planEvents: mergeBy(draft.planEvents, gtm.planEvents, name),
    events: mergeBy(draft.events, gtm.events, (e) => e.event),
    triggers: mergeBy(draft.triggers, gtm.triggers, name),
    variables: mergeBy(draft.variables, gtm.variables, name),
    destinations: mergeBy(draft.destinations, gtm.destinations, name),
  };
}

/** The draft as it would be after writing `plan`: what the diff compares with the current one. */
export function projectDraft(current: Snapshot, plan: ImportPlan, teamPlan: Snapshot["planEvents"]): Snapshot {
  const planEvents = new Map([...teamPlan, ...plan.planEventsToCreate.map((p) => ({ id: p.id, name: p.name, parameters: p.parameters, platformNames: p.platformNames as Record<string, string> }))].map((p) => [p.id, p]));
  const owners = new Map([...current.triggers, ...current.variables, ...current.events, ...current.destinations].map((e) => [e.id, e.ownerId]));
  const secrets = new Map(current.destinations.map((d) => [d.id, d]));
  const used = [...new Set(plan.events.map((e) => e.planEventId))].map((id) => planEvents.get(id)!).filter(Boolean);
  return {
    ...current,
    planEvents: used.sort((a, b) => a.name.localeCompare(b.name)),
    events: plan.events
      .map((e) => ({ id: e.id, name: planEvents.get(e.planEventId)?.name ?? e.planEventId, description: e.description, ownerId: owners.get(e.id) ?? null, planEventId: e.planEventId, ...e.definition }))
      .sort((a, b) => a.name.localeCompare(b.name)),
    triggers: plan.triggers.map((t) => ({ id: t.id, name: t.name, description: t.description, ownerId: owners.get(t.id) ?? null, ...t.definition })),
    variables: plan.variables.map((v) => ({ id: v.id, name: v.name, description: v.description, ownerId: owners.get(v.id) ?? null, ...v.definition })),
    destinations: plan.destinations.map((d) => {
      const old = secrets.get(d.id);
      return { id: d.id, name: d.name, description: d.description, ownerId: owners.get(d.id) ?? null, ...d.definition, secretsSet: old && old.platform === d.definition.platform ? old.secretsSet : [] };
    }),
  };
}

/** Two destinations of one platform with the same ids fire twice for one conversion. */
function duplicateDestinations(plan: ImportPlan): string[] {
  const seen = new Map<string, string>();
  const out: string[] = [];
  for (const d of plan.destinations) {
    const key = `${d.definition.platform}:${JSON.stringify(d.definition.ids)}`;
    const other = seen.get(key);
    if (other) out.push(`"${other}" and "${d.name}" send to the same ${d.definition.platform} account: each conversion would be sent twice; delete one of them`);
    else seen.set(key, d.name);
  }
  return out;
}

export async function importGtm(actor: Actor, containerId: string, raw: unknown, options: GtmImportOptions): Promise<GtmImportResult> {
  const gtm = parseGtmExport(raw);
  const { file, report } = convertGtm(gtm);
  const db = await prisma();
  return db.$transaction(async (tx) => {
    const container = await assertContainer(tx, actor, containerId);
    const current = await loadDraft(tx, containerId);
    const teamPlan = await tx.planEvent.findMany({ where: { teamId: actor.teamId }, select: { id: true, name: true, parameters: true, platformNames: true } });
    const target = options.strategy === "merge" ? mergeFiles(exportSnapshot(current) as ImportFile, file) : file;
    let plan: ImportPlan;
    try {
      plan = planImport(target, current, teamPlan);
    } catch (error) {
      // The converter writes only what Tagpipe's schemas take; a problem here is the
      // converter's, named so that it can be reported, and nothing is written.
      if (error instanceof ValidationError) throw new ValidationError(error.fields.map((f) => ({ path: `converted.${f.path}`, message: f.message })), `The converted container did not pass Tagpipe's checks: ${error.message}`);
      throw error;
    }
    const projected = projectDraft(current, plan, teamPlan.map((p) => ({ id: p.id, name: p.name, parameters: p.parameters as Snapshot["planEvents"][number]["parameters"], platformNames: p.platformNames as Record<string, string> })));
    const summary = summarize(report);
    const result: GtmImportResult = {
      mode: options.mode,
      strategy: options.strategy,
      applied: false,
      gtm: { publicId: gtm.publicId, name: gtm.name, tags: gtm.tags.length, triggers: gtm.triggers.length, variables: gtm.variables.length },
      summary,
      report,
      diff: diffSnapshots(current, projected),
      before: countsOf(current),
      after: countsOf(plan),
      warnings: duplicateDestinations(plan),
    };
    if (options.mode === "preview") return result;
    const counts = await writeImport(tx, actor, containerId, current, plan);
    await recordAudit(tx, actor, {
      action: "import",
      entityType: "container",
      entityId: containerId,
      entityLabel: container.name,
      before: countsOf(current),
      after: { ...counts, source: "gtm", gtmContainer: gtm.publicId || gtm.name, strategy: options.strategy, report: summary },
    });
    return { ...result, applied: true };
  }, IMPORT_TRANSACTION);
}
