"use client";
// The container's versions, newest first: where each is live, a link that puts it in the
// diff view, and "Publish to…" (an environment and a note). Publishing a version older
// than the one live there is a rollback, and the button says so.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, EmptyState, Table, Td, Th, formatDate } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";

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

/** What a publish did; shown while it is still true (a later rollback hides it). */
type Published = { environmentId: string; environment: string; version: number; rollback: boolean };

function PublishForm({ version, environments, collectorWarning, onClose }: { version: VersionRow; environments: EnvironmentChoice[]; collectorWarning: string | null; onClose: (done: Published | null) => void }) {
  const router = useRouter();
  // Default to the first environment this version is not live in yet.
  const [environmentId, setEnvironmentId] = useState((environments.find((e) => e.live !== version.number) ?? environments[0])?.id ?? "");
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const env = environments.find((e) => e.id === environmentId);
  const rollback = env?.live != null && env.live > version.number;
  const already = env?.live === version.number;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    const result = await api<{ environment: string; version: number; rollback: boolean }>("POST", `/versions/${version.id}/publish`, { environmentId, note });
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      return setError(result.message);
    }
    onClose({ environmentId, ...result.data });
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate aria-label={`Publish v${version.number}`} className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-3">
      {error ? <Alert>{error}</Alert> : null}
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-[minmax(0,1fr)_minmax(0,2fr)]">
        <SelectField label="Environment" autoFocus value={environmentId} onChange={(e) => setEnvironmentId(e.target.value)} error={fields.environmentId}>
          {environments.map((e) => (
            <option key={e.id} value={e.id}>
              {e.name} ({e.live ? `now v${e.live}` : "nothing published"})
            </option>
          ))}
        </SelectField>
        <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} error={fields.note} placeholder="Why now, e.g. checked on staging" maxLength={500} />
      </div>
      {env?.production && collectorWarning ? (
        <p role="alert" className="rounded-md border border-amber-300 bg-amber-50 p-2 text-sm text-amber-900">
          {collectorWarning}
        </p>
      ) : null}
      {already ? <p className="text-sm text-slate-600">v{version.number} is already live there; publishing again records it once more.</p> : null}
      {rollback ? <p className="text-sm text-amber-800">{env?.name} serves v{env?.live}: this rolls it back to v{version.number}.</p> : null}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending || !env}>
          {pending ? "Publishing…" : rollback ? `Roll back ${env?.name} to v${version.number}` : `Publish v${version.number} to ${env?.name ?? "…"}`}
        </Button>
        <Button type="button" variant="ghost" onClick={() => onClose(null)}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function VersionHistory({ versions, environments, canPublish, collectorWarning = null }: { versions: VersionRow[]; environments: EnvironmentChoice[]; canPublish: boolean; collectorWarning?: string | null }) {
  const [publishing, setPublishing] = useState<string | null>(null);
  const [done, setDone] = useState<Published | null>(null);
  const stillTrue = done && environments.find((e) => e.id === done.environmentId)?.live === done.version;
  if (versions.length === 0) {
    return <EmptyState title="No versions yet">Create the first version from the draft above; then publish it to staging, check it, and publish it to production.</EmptyState>;
  }
  return (
    <div className="space-y-3">
      {done && stillTrue ? (
        <Alert tone="green">
          {done.rollback ? "Rolled back" : "Published"}: {done.environment} now serves v{done.version}.
        </Alert>
      ) : null}
      {canPublish ? null : (
        <p id="publish-role-note" className="text-sm text-slate-600">
          You can create versions; publishers publish them (the publisher or owner role).
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
              canPublish={canPublish}
              open={publishing === v.id}
              onOpen={() => {
                setDone(null);
                setPublishing(v.id);
              }}
              form={
                <PublishForm
                  version={v}
                  environments={environments}
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

function VersionRowView({ version: v, canPublish, open, onOpen, form }: { version: VersionRow; canPublish: boolean; open: boolean; onOpen: () => void; form: React.ReactNode }) {
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
              Publish to…
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
