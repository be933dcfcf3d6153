"use client";
// Importing a GTM container export, in three steps: choose the file and how it lands
// (replace the draft or merge into it); read the preview (what Tagpipe understood of each
// tag, trigger and variable, and the diff against the draft), nothing written yet;
// apply. The same API does both steps (import-gtm ?mode=preview, then ?mode=apply).
import Link from "next/link";
import { useId, useState, type ChangeEvent, type FormEvent } from "react";
import type { GtmImportResult } from "@/lib/gtm/apply";
import type { ReportLine, ReportStatus } from "@/lib/gtm/report";
import { api } from "../ui/api";
import { Alert, Badge, Button, Card, Table, Td, Th } from "../ui/primitives";
import { DiffList } from "../versions/diff-view";

const MAX_BYTES = 5 * 1024 * 1024;
type Strategy = "replace" | "merge";

const STATUS: Record<ReportStatus, { label: string; tone: "green" | "amber" | "red" }> = {
  imported: { label: "Imported", tone: "green" },
  converted: { label: "Converted with changes", tone: "amber" },
  not_importable: { label: "Not importable", tone: "red" },
};
const SECTIONS: { entity: ReportLine["entity"]; title: string }[] = [
  { entity: "tag", title: "Tags" },
  { entity: "trigger", title: "Triggers" },
  { entity: "variable", title: "Variables" },
  { entity: "built_in", title: "Built-in variables" },
];

export function GtmImport({ containerId }: { containerId: string }) {
  const id = useId();
  const [file, setFile] = useState<{ name: string; body: unknown } | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [strategy, setStrategy] = useState<Strategy>("replace");
  const [pending, setPending] = useState<"preview" | "apply" | null>(null);
  const [preview, setPreview] = useState<GtmImportResult | null>(null);
  const [applied, setApplied] = useState<GtmImportResult | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const chosen = e.target.files?.[0];
    setPreview(null);
    setApplied(null);
    setError(null);
    setFile(null);
    if (!chosen) return setFileError(null);
    if (chosen.size > MAX_BYTES) return setFileError(`${chosen.name} is ${(chosen.size / 1024 / 1024).toFixed(1)} MB; a GTM export is at most 5 MB`);
    try {
      setFile({ name: chosen.name, body: JSON.parse(await chosen.text()) });
      setFileError(null);
    } catch (err) {
      setFileError(`${chosen.name} is not JSON (${(err as Error).message}): export the container in GTM under Admin → Export Container`);
    }
  }

  async function run(mode: "preview" | "apply") {
    if (!file) return setFileError("Choose the GTM export file first");
    setPending(mode);
    setError(null);
    const result = await api<GtmImportResult>("POST", `/containers/${containerId}/import-gtm?mode=${mode}&strategy=${strategy}`, file.body);
    setPending(null);
    if (!result.ok) {
      // Problems with the file itself show beside the file field.
      const place = Object.entries(result.fields)[0];
      if (mode === "preview") setFileError(place ? `${place[0] || "The file"}: ${place[1]}` : result.detail);
      else setError(result.detail);
      return;
    }
    if (mode === "preview") setPreview(result.data);
    else {
      setApplied(result.data);
      setPreview(null);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void run("preview");
  }

  const fileErrorId = `${id}-file-error`;
  return (
    <div className="space-y-6">
      <Card title="1. Choose the export" description="In GTM: Admin → Export Container, choose the version, download the JSON file. Web containers only; up to 5 MB.">
        <form onSubmit={submit} noValidate aria-label="GTM export" className="space-y-4">
          <div className="space-y-1">
            <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
              GTM export file
            </label>
            <input
              id={`${id}-file`}
              type="file"
              accept="application/json,.json"
              onChange={pick}
              aria-invalid={fileError ? true : undefined}
              aria-describedby={fileError ? fileErrorId : undefined}
              className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200"
            />
            {fileError ? (
              <p id={fileErrorId} role="alert" className="text-sm text-red-700">
                {fileError}
              </p>
            ) : null}
          </div>
          <fieldset className="space-y-1">
            <legend className="text-sm font-medium text-slate-800">Into the draft</legend>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="radio" name={`${id}-strategy`} value="replace" checked={strategy === "replace"} onChange={() => setStrategy("replace")} className="mt-1" />
              <span>
                <strong>Replace</strong>: the draft becomes the imported container (versions are untouched)
              </span>
            </label>
            <label className="flex items-start gap-2 text-sm text-slate-700">
              <input type="radio" name={`${id}-strategy`} value="merge" checked={strategy === "merge"} onChange={() => setStrategy("merge")} className="mt-1" />
              <span>
                <strong>Merge</strong>: imported entities replace the draft&apos;s of the same name; the rest of the draft stays
              </span>
            </label>
          </fieldset>
          <Button type="submit" disabled={pending !== null || !file}>
            {pending === "preview" ? "Reading the export…" : "Preview the import"}
          </Button>
          <p className="text-xs text-slate-500">The preview changes nothing: read the report and the changes first, then apply.</p>
        </form>
      </Card>

      {preview ? <Preview result={preview} fileName={file?.name ?? ""} pending={pending === "apply"} error={error} onApply={() => void run("apply")} onCancel={() => setPreview(null)} /> : null}

      {applied ? (
        <Card title="3. Imported">
          <div className="space-y-3" role="status">
            <Alert tone="green">
              {applied.gtm.publicId || "The GTM container"} is in the draft ({applied.strategy === "replace" ? "replaced" : "merged"}): {applied.after.events} events, {applied.after.triggers} triggers, {applied.after.variables} variables and{" "}
              {applied.after.destinations} destinations. {applied.summary.not_importable} item{applied.summary.not_importable === 1 ? " was" : "s were"} not importable (see the report).
            </Alert>
            <p className="text-sm text-slate-700">
              It is a normal draft now: fill in what GTM did not hold (e.g. API secrets, Google Ads account ids) on{" "}
              <Link href={`/containers/${containerId}/destinations`} className="font-medium text-indigo-700 hover:underline">
                Destinations
              </Link>
              , then create a version and publish on{" "}
              <Link href={`/containers/${containerId}/versions`} className="font-medium text-indigo-700 hover:underline">
                Versions &amp; publish
              </Link>
              .
            </p>
            <Report lines={applied.report} />
          </div>
        </Card>
      ) : null}
    </div>
  );
}

function Preview({ result, fileName, pending, error, onApply, onCancel }: { result: GtmImportResult; fileName: string; pending: boolean; error: string | null; onApply: () => void; onCancel: () => void }) {
  return (
    <Card
      title="2. Read the report and the changes"
      description={`${result.gtm.publicId || result.gtm.name || fileName}: ${result.gtm.tags} tags, ${result.gtm.triggers} triggers, ${result.gtm.variables} variables. Nothing has changed yet.`}
    >
      <div className="space-y-6">
        <ul className="flex flex-wrap gap-3" aria-label="Report summary">
          {(Object.keys(STATUS) as ReportStatus[]).map((s) => (
            <li key={s} className="rounded-md border border-slate-200 px-3 py-2 text-sm">
              <Badge tone={STATUS[s].tone}>{STATUS[s].label}</Badge> <span className="ml-1 text-lg font-semibold text-slate-900">{result.summary[s]}</span>
            </li>
          ))}
        </ul>
        {result.warnings.length ? (
          <Alert tone="amber">
            <ul className="list-disc pl-5">
              {result.warnings.map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
          </Alert>
        ) : null}
        <Report lines={result.report} />
        <section aria-label="Changes to the draft">
          <h3 className="mb-2 text-base font-semibold text-slate-900">Changes to the draft</h3>
          <DiffList from="the current draft" to={`the draft after the import (${result.strategy})`} changes={result.diff} />
        </section>
        {error ? <Alert>{error}</Alert> : null}
        <div className="flex flex-wrap items-center gap-3">
          <Button type="button" onClick={onApply} disabled={pending}>
            {pending ? "Applying…" : result.strategy === "replace" ? "Apply: replace the draft" : "Apply: merge into the draft"}
          </Button>
          <Button type="button" variant="secondary" onClick={onCancel} disabled={pending}>
            Cancel
          </Button>
          <span className="text-xs text-slate-500">One transaction, recorded in the audit log.</span>
        </div>
      </div>
    </Card>
  );
}

function Report({ lines }: { lines: ReportLine[] }) {
  return (
    <section aria-label="Import report" className="space-y-4">
      {SECTIONS.map(({ entity, title }) => {
        const rows = lines.filter((l) => l.entity === entity);
        if (!rows.length) return null;
        return (
          <div key={entity}>
            <h3 className="mb-2 text-base font-semibold text-slate-900">
              {title} <span className="text-sm font-normal text-slate-500">({rows.length})</span>
            </h3>
            <Table>
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>GTM type</Th>
                  <Th>Outcome</Th>
                  <Th>What changed, or why not</Th>
                  <Th>In Tagpipe</Th>
                </tr>
              </thead>
              <tbody>
                {rows.map((l) => (
                  <tr key={`${l.entity}:${l.gtmId}:${l.name}`} aria-label={`${l.name}: ${STATUS[l.status].label}`}>
                    <Td className="max-w-56 break-words font-medium text-slate-900">{l.name}</Td>
                    <Td>
                      <code className="text-xs">{l.gtmType}</code>
                    </Td>
                    <Td>
                      <Badge tone={STATUS[l.status].tone}>{STATUS[l.status].label}</Badge>
                    </Td>
                    <Td className="max-w-xl text-sm text-slate-700">
                      {l.notes.length ? (
                        <ul className="list-disc space-y-0.5 pl-4">
                          {l.notes.map((n, i) => (
                            <li key={i}>{n}</li>
                          ))}
                        </ul>
                      ) : (
                        "—"
                      )}
                    </Td>
                    <Td className="text-sm text-slate-700">{l.becomes.length ? l.becomes.join(", ") : "—"}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          </div>
        );
      })}
    </section>
  );
}
