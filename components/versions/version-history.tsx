"use client";
// The container's versions, newest first: where each is live, a link that puts it in the
// diff view (against the version before it), and "Publish to…" (an environment and a
// note), which starts on a non-production environment. Production shows what changes
// there and asks to confirm — or, where the team requires approval, sends a request.
// Publishing a version older than the one live there is a rollback, and the button says so.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, EmptyState, Table, Td, Th, formatDate } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { DiffList } from "./diff-view";
import type { DiffEntry } from "@/lib/versions/diff";

export type VersionRow = {
  id: string;
  number: number;
  note: string;
  authorLabel: string;
  createdAt: string;
  liveIn: string[];
  diffHref: string;
  diffLabel: string;
};
export type EnvironmentChoice = { id: string; name: string; live: number | null; production?: boolean };

/** What a publish (or a request for one) did; shown while it is still true (a later rollback hides it). */
type Published = { environmentId: string; environment: string; version: number; rollback: boolean; requested?: boolean };
type Summary = { from: string; to: string; changes: DiffEntry[] };

/** The environment the form starts on: the first non-production one this version is not live in yet. */
function defaultEnvironment(version: VersionRow, environments: EnvironmentChoice[]) {
  const staging = environments.filter((e) => !e.production);
  return (staging.find((e) => e.live !== version.number) ?? staging[0] ?? environments[0])?.id ?? "";
}

function PublishForm({ containerId, version, environments, collectorWarning, approvalRequired, onClose }: { containerId: string; version: VersionRow; environments: EnvironmentChoice[]; collectorWarning: string | null; approvalRequired: boolean; onClose: (done: Published | null) => void }) {
  const router = useRouter();
  const [environmentId, setEnvironmentId] = useState(() => defaultEnvironment(version, environments));
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  // Production: the change summary, then a confirmation (or a request for approval).
  const [summary, setSummary] = useState<Summary | null>(null);
  const env = environments.find((e) => e.id === environmentId);
  const rollback = env?.live != null && env.live > version.number;
  const already = env?.live === version.number;
  // A rollback to what production served before goes straight; the server has the last word.
  const request = Boolean(env?.production && approvalRequired && !rollback);
  const target = `${env?.name ?? "…"}`;
  const action = request ? `Ask for approval to publish v${version.number} to ${target}` : rollback ? `Roll back ${target} to v${version.number}` : `Publish v${version.number} to ${target}`;

  async function review(e: FormEvent) {
    e.preventDefault();
    if (!env?.production) return send();
    setPending(true);
    const diff = await api<Summary>("GET", `/containers/${containerId}/diff?${new URLSearchParams({ from: `env:${environmentId}`, to: version.id })}`);
    setPending(false);
    if (!diff.ok) return setError(diff.message);
    setError(null);
    setSummary(diff.data);
  }

  async function send() {
    setPending(true);
    const result = request
      ? await api<{ environment: { name: string } }>("POST", `/containers/${containerId}/publish-requests`, { versionId: version.id, environmentId, note })
      : await api<{ environment: string; version: number; rollback: boolean }>("POST", `/versions/${version.id}/publish`, { environmentId, note });
    setPending(false);
    if (!result.ok) {
      setSummary(null);
      setFields(result.fields);
      return setError(result.message);
    }
    onClose(request ? { environmentId, environment: target, version: version.number, rollback: false, requested: true } : { environmentId, ...(result.data as { environment: string; version: number; rollback: boolean }) });
    router.refresh();
  }

  if (summary) {
    return (
      <section aria-label={`Confirm: ${action}`} className="space-y-3 rounded-md border border-amber-300 bg-amber-50/50 p-3">
        <h3 className="text-sm font-semibold text-slate-900">
          {request ? `What v${version.number} would change in ${target}` : `What this changes in ${target}`}
        </h3>
        <DiffList from={summary.from} to={summary.to} changes={summary.changes} />
        {note ? <p className="text-sm text-slate-700">Note: “{note}”</p> : null}
        {request ? <p className="text-sm text-slate-700">{target} needs approval in this team: another publisher or owner reviews these changes and publishes them.</p> : null}
        <div className="flex flex-wrap gap-2">
          <Button type="button" autoFocus onClick={send} disabled={pending}>
            {pending ? (request ? "Asking…" : "Publishing…") : request ? "Ask for approval" : rollback ? `Yes, roll ${target} back to v${version.number}` : `Yes, publish v${version.number} to ${target}`}
          </Button>
          <Button type="button" variant="ghost" onClick={() => setSummary(null)}>
            Back
          </Button>
        </div>
      </section>
    );
  }

  return (
    <form onSubmit={review} noValidate aria-label={`Publish v${version.number}`} className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-3">
      {error ? <Alert>{error}</Alert> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <SelectField label="Environment" autoFocus value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)} error={fields.environmentId}>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} ({e.live ? `now v${e.live}` : "nothing published"})
            </option>
          ))}
        </SelectField>
        <TextField label={request ? "Note for the reviewer" : "Note"} value={note} onChange={(e) => setNote(e.target.value)} error={fields.note} placeholder="Why now, e.g. checked on staging" maxLength={500} />
      </div>
      {env?.production && collectorWarning ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {collectorWarning}
        </p>
      ) : null}
      {already ? <p className="text-sm text-slate-600">v{version.number} is already live there; publishing again records it once more.</p> : null}
      {rollback ? <p className="text-sm text-amber-800">{env?.name} serves v{env?.live}: this rolls it back to v{version.number}.</p> : null}
      {env?.production ? <p className="text-sm text-slate-600">{target} is production: you will see what changes there before {request ? "asking for approval" : "it is published"}.</p> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || !env}>
          {pending ? "Loading the changes…" : env?.production ? `Review: ${action}` : action}
        </Button>
        <Button type="button" variant="ghost" onClick={() => onClose(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function VersionHistory({
  containerId,
  versions,
  environments,
  canPublish,
  canRequest,
  approvalRequired,
  collectorWarning = null,
}: {
  containerId: string;
  versions: VersionRow[];
  environments: EnvironmentChoice[];
  canPublish: boolean;
  /** May ask for a production publish (editors too, where approval is required). */
  canRequest: boolean;
  approvalRequired: boolean;
  collectorWarning?: string | null;
}) {
  // Editors may only ask, and only for production.
  const asker = !canPublish && approvalRequired && canRequest;
  const choices = asker ? environments.filter((e) => e.production) : environments;
  const [publishing, setPublishing] = useState<string | null>(null);
  const [done, setDone] = useState<Published | null>(null);
  const stillTrue = done && environments.find((e) => e.id === done.environmentId)?.live === done.version;
  if (versions.length === 0) {
    return <EmptyState title="No versions yet">Create the first version from the draft above; then publish it to staging, check it, and publish it to production.</EmptyState>;
  }
  return (
    <div className="space-y-3">
      {done?.requested ? (
        <Alert tone="green">Asked for approval: v{done.version} to {done.environment} waits for another publisher or owner (see Publish requests).</Alert>
      ) : done && stillTrue ? (
        <Alert tone="green">
          {done.rollback ? "Rolled back" : "Published"}: {done.environment} now serves v{done.version}.
        </Alert>
      ) : null}
      {canPublish ? null : (
        <p id="publish-role-note" className="text-sm text-slate-600">
          {asker ? "You can ask for a version to be published to production; a publisher or owner approves it." : "You can create versions; publishers publish them (the publisher or owner role)."}
        </p>
      )}
      <Table>
        <thead>
          <tr>
            <Th>Version</Th>
            <Th>Note</Th>
            <Th>Author</Th>
            <Th>Created</Th>
            <Th>Live in</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {versions.map((v) => (
            <VersionRowView
              key={v.id}
              version={v}
              canPublish={canPublish || asker}
              asker={asker}
              open={publishing === v.id}
              onOpen={() => {
                setDone(null);
                setPublishing(v.id);
              }}
              form={
                <PublishForm
                  containerId={containerId}
                  approvalRequired={approvalRequired}
                  version={v}
                  environments={choices}
                  collectorWarning={collectorWarning}
                  onClose={(message) => {
                    setPublishing(null);
                    setDone(message);
                  }}
                />
              }
            />
          ))}
        </tbody>
      </Table>
    </div>
  );
}

function VersionRowView({ version: v, canPublish, asker, open, onOpen, form }: { version: VersionRow; canPublish: boolean; asker: boolean; open: boolean; onOpen: () => void; form: React.ReactNode }) {
  return (
    <>
      <tr>
        <Td className="font-semibold">v{v.number}</Td>
        <Td className="max-w-xs">{v.note || <span className="text-slate-400">no note</span>}</Td>
        <Td>{v.authorLabel}</Td>
        <Td className="whitespace-nowrap text-slate-600">{formatDate(v.createdAt)}</Td>
        <Td>
          <span className="flex flex-wrap gap-1">
            {v.liveIn.length ? v.liveIn.map((name) => <Badge key={name} tone="green">{name}</Badge>) : <span className="text-slate-400">—</span>}
          </span>
        </Td>
        <Td className="whitespace-nowrap text-right">
          <span className="inline-flex gap-2">
            <Link href={v.diffHref} scroll={false} aria-label={v.diffLabel} title={v.diffLabel} className="inline-flex items-center rounded-md px-3 py-1.5 text-sm font-medium text-indigo-700 ring-1 ring-inset ring-slate-300 hover:bg-slate-50">
              Diff
            </Link>
            <Button
              type="button"
              variant="secondary"
              disabled={!canPublish || open}
              onClick={onOpen}
              title={canPublish ? undefined : "Publishers publish: your role can create versions but not publish them"}
              aria-describedby={canPublish ? undefined : "publish-role-note"}
            >
              {asker ? "Ask to publish…" : "Publish to…"}
            </Button>
          </span>
        </Td>
      </tr>
      {open ? (
        <tr>
          <td colSpan={6} className="px-3 pb-3">
            {form}
          </td>
        </tr>
      ) : null}
    </>
  );
}
