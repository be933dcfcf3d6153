// "Versions & publish": the draft's problems, creating a version, the diff between any
// two sides (draft, a version, what an environment serves) — with the decision on a
// publish request beside it — the version history with publishing, the publish
// requests, and each environment's history with rollback.
import { can } from "@/lib/rbac/permissions";
import { NotFoundError } from "@/lib/errors";
import { diffContainer, environmentHistory, listVersions } from "@/lib/versions/versions";
import { loadWorkspace } from "../workspace";
import { headers } from "next/headers";
import { loopbackOriginWarning, originFromHeaders } from "@/lib/api/origin";
import { Alert, Card } from "@/components/ui/primitives";
import { DraftProblems } from "@/components/versions/draft-problems";
import { CreateVersionForm } from "@/components/versions/create-version-form";
import { DiffList, DiffPicker, type DiffSide } from "@/components/versions/diff-view";
import { VersionHistory } from "@/components/versions/version-history";
import { EnvironmentHistories } from "@/components/versions/environment-history";
import { DecisionPanel, PublishRequestList, type RequestView } from "@/components/versions/publish-requests";
import { isRequester, listPublishRequests, type PublishRequestView } from "@/lib/versions/approvals";
import { getTeam } from "@/lib/team/members";

export const metadata = { title: "Versions & publish" };

type Search = Record<string, string | string[] | undefined>;
const one = (v: string | string[] | undefined) => (typeof v === "string" && v ? v : undefined);

export default async function VersionsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<Search> }) {
  const { id } = await params;
  const search = await searchParams;
  const { actor, container, problems } = await loadWorkspace(id);
  const environments = container.environments;
  const [versions, histories, requests, team] = await Promise.all([
    listVersions(actor, id),
    Promise.all(environments.map((e) => environmentHistory(actor, e.id))),
    listPublishRequests(actor, id),
    getTeam(actor),
  ]);
  const base = `/containers/${id}/versions`;
  const requestView = (r: PublishRequestView): RequestView => ({
    ...r,
    decidedAt: r.decidedAt?.toISOString() ?? null,
    createdAt: r.createdAt.toISOString(),
    reviewHref: `${base}?${new URLSearchParams({ request: r.id })}#diff`,
  });
  // A request under review: the diff shows what it would change where it would go.
  const request = requests.find((r) => r.id === one(search.request)) ?? null;

  // By default: what the draft would change in production.
  const production = environments.find((e) => e.kind === "production") ?? environments[0];
  const live = production ? `env:${production.id}` : "draft";
  const from = one(search.from) ?? (request ? `env:${request.environment.id}` : live);
  const to = one(search.to) ?? (request ? request.version.id : "draft");
  let diff: Awaited<ReturnType<typeof diffContainer>> | null = null;
  let diffError: string | null = null;
  try {
    diff = await diffContainer(actor, id, from, to);
  } catch (error) {
    if (!(error instanceof NotFoundError)) throw error;
    diffError = `${error.message}: pick the two sides again.`;
  }

  const sides: DiffSide[] = [
    { value: "draft", label: "Draft (not yet a version)" },
    { value: "empty", label: "Nothing (before the first version)" },
    ...environments.map((e) => ({ value: `env:${e.id}`, label: `Live in ${e.name} (${e.version ? `v${e.version.number}` : "nothing"})` })),
    ...versions.map((v) => ({ value: v.id, label: `v${v.number}${v.note ? ` — ${v.note.slice(0, 40)}` : ""}` })),
  ];
  // A publish bakes this origin into the script as its collector URL (unless NEXTAUTH_URL is set).
  const collectorWarning = loopbackOriginWarning(originFromHeaders(await headers()));
  const liveLabel = production ? `what ${production.name} serves` : "the draft";

  return (
    <div className="space-y-6">
      <Card title="Create a version" description="A version freezes the draft: numbered, with its author and note, and never changed afterwards.">
        {problems.length ? (
          <div className="mb-4">
            <p className="mb-2 text-sm font-medium text-amber-900">
              The draft has {problems.length} problem{problems.length === 1 ? "" : "s"}:
            </p>
            <DraftProblems containerId={id} problems={problems} />
          </div>
        ) : null}
        <CreateVersionForm containerId={id} problems={problems.length} canCreate={can(actor.role, "version:create")} nextNumber={(versions[0]?.number ?? 0) + 1} />
      </Card>

      <div id="diff" className="scroll-mt-4">
        <Card title="Changes" description={
            request
              ? `The publish request: what v${request.version.number} would change in ${request.environment.name}, and the decision.`
              : `What changes between two sides. By default: the draft compared with ${liveLabel}, i.e. what the next version would change there.`
          }>
          <div className="space-y-4">
            {request ? <DecisionPanel request={requestView(request)} canDecide={can(actor.role, "version:publish")} isRequester={isRequester(actor, request)} /> : null}
            <DiffPicker action={base} sides={sides} from={from} to={to} />
            {diffError ? <Alert>{diffError}</Alert> : diff ? <DiffList from={diff.from} to={diff.to} changes={diff.changes} /> : null}
          </div>
        </Card>
      </div>

      <Card title="Version history" description="Newest first. Publish a version to an environment; publishing an older one there is a rollback.">
        <VersionHistory
          containerId={id}
          canPublish={can(actor.role, "version:publish")}
          canRequest={can(actor.role, "version:create")}
          approvalRequired={team.productionNeedsApproval}
          collectorWarning={collectorWarning}
          environments={environments.map((e) => ({ id: e.id, name: e.name, live: e.version?.number ?? null, production: e.kind === "production" }))}
          versions={versions.map((v, i) => ({
            id: v.id,
            number: v.number,
            note: v.note,
            authorLabel: v.authorLabel,
            createdAt: v.createdAt.toISOString(),
            liveIn: v.environments.map((e) => e.name),
            // What this version changed: compared with the version before it (the first, with nothing).
            diffHref: `${base}?${new URLSearchParams({ from: versions[i + 1]?.id ?? "empty", to: v.id })}#diff`,
            diffLabel: versions[i + 1] ? `Diff v${v.number} against v${versions[i + 1].number}` : `Diff v${v.number} (the first version)`,
          }))}
        />
      </Card>

      <div id="requests" className="scroll-mt-4">
        <Card
          title="Publish requests"
          description={
            team.productionNeedsApproval
              ? "Production needs approval in this team: a request is reviewed in the diff above and approved (published) or rejected by another publisher or owner."
              : "Production needs no approval in this team (owners can require it under Members → Team settings)."
          }
        >
          <PublishRequestList requests={requests.map(requestView)} />
        </Card>
      </div>

      <Card title="Environments" description="What each environment served, by whom and why. Rolling back publishes the earlier version again.">
        <EnvironmentHistories
          canPublish={can(actor.role, "version:publish")}
          environments={environments.map((e, i) => ({
            id: e.id,
            name: e.name,
            live: e.version?.number ?? null,
            entries: histories[i].map((h) => ({ id: h.id, version: { id: h.version.id, number: h.version.number }, actorLabel: h.actorLabel, note: h.note, rollback: h.rollback, createdAt: h.createdAt.toISOString() })),
          }))}
        />
      </Card>
    </div>
  );
}
