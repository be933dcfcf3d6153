"use client";
// Export and import of a container's draft as a JSON file. Export saves the API's file;
// import replaces the draft, and every problem in the file is listed with its place in
// it (triggers.0.selector), all at once.
import { useRouter } from "next/navigation";
import { useId, useState, type ChangeEvent, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Button } from "../ui/primitives";

function fileName(container: string): string {
  const slug = container.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "container";
  return `${slug}-draft.json`;
}

export function ExportButton({ containerId, containerName }: { containerId: string; containerName: string }) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function download() {
    setPending(true);
    const result = await api("GET", `/containers/${containerId}/export`);
    setPending(false);
    if (!result.ok) return setError(result.message);
    setError(null);
    const url = URL.createObjectURL(new Blob([JSON.stringify(result.data, null, 2) + "\n"], { type: "application/json" }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName(containerName);
    document.body.append(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
  }

  return (
    <span className="inline-flex flex-wrap items-center gap-2">
      <Button type="button" variant="secondary" onClick={download} disabled={pending}>
        {pending ? "Exporting…" : "Export JSON"}
      </Button>
      {error ? (
        <span role="alert" className="text-sm text-red-700">
          {error}
        </span>
      ) : null}
    </span>
  );
}

type Counts = { events: number; triggers: number; variables: number; destinations: number };

function describeCounts(c: Counts): string {
  const part = (n: number, noun: string) => `${n} ${noun}${n === 1 ? "" : "s"}`;
  return `${part(c.events, "event")}, ${part(c.triggers, "trigger")}, ${part(c.variables, "variable")} and ${part(c.destinations, "destination")}`;
}

export function ImportForm({ containerId }: { containerId: string }) {
  const router = useRouter();
  const id = useId();
  const [text, setText] = useState("");
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [problems, setProblems] = useState<FieldErrors>({});
  const [done, setDone] = useState<string | null>(null);

  async function pick(e: ChangeEvent<HTMLInputElement>) {
    const file = e.target.files?.[0];
    if (file) setText(await file.text());
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setDone(null);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch (error) {
      setProblems({});
      setMessage(`This is not valid JSON: ${(error as Error).message}`);
      return;
    }
    setPending(true);
    const result = await api<Counts>("POST", `/containers/${containerId}/import`, body);
    setPending(false);
    if (!result.ok) {
      setProblems(result.fields);
      const count = Object.keys(result.fields).length;
      setMessage(count ? `The file has ${count} problem${count === 1 ? "" : "s"}; nothing was imported:` : result.message);
      return;
    }
    setProblems({});
    setMessage(null);
    setText("");
    setDone(`Imported ${describeCounts(result.data)} into the draft. Review the changes on Versions & publish before creating a version.`);
    router.refresh();
  }

  const errorId = `${id}-error`;
  return (
    <form onSubmit={submit} noValidate aria-label="Import a container file" className="space-y-3">
      {done ? <Alert tone="green">{done}</Alert> : null}
      <div className="space-y-1">
        <label htmlFor={`${id}-file`} className="block text-sm font-medium text-slate-800">
          File
        </label>
        <input id={`${id}-file`} type="file" accept="application/json,.json" onChange={pick} className="block text-sm text-slate-700 file:mr-3 file:rounded-md file:border-0 file:bg-slate-100 file:px-3 file:py-1.5 file:text-sm file:font-medium file:text-slate-800 hover:file:bg-slate-200" />
      </div>
      <div className="space-y-1">
        <label htmlFor={`${id}-text`} className="block text-sm font-medium text-slate-800">
          Or paste the file&apos;s JSON
        </label>
        <textarea
          id={`${id}-text`}
          value={text}
          onChange={(e) => setText(e.target.value)}
          rows={8}
          spellCheck={false}
          aria-invalid={message ? true : undefined}
          aria-describedby={message ? errorId : undefined}
          placeholder='{ "format": "tagpipe.container", "formatVersion": 1, … }'
          className={`block w-full rounded-md border-0 px-2.5 py-1.5 font-mono text-xs text-slate-900 shadow-sm ring-1 ring-inset placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 ${message ? "ring-red-400" : "ring-slate-300"}`}
        />
        {message ? (
          <div id={errorId} role="alert" className="text-sm text-red-700">
            <p>{message}</p>
            {Object.keys(problems).length ? (
              <ul className="mt-1 list-disc space-y-0.5 pl-5" aria-label="Problems in the file">
                {Object.entries(problems).map(([path, text]) => (
                  <li key={path}>
                    <code className="rounded bg-red-50 px-1 text-xs">{path || "(the file)"}</code> {text}
                  </li>
                ))}
              </ul>
            ) : null}
          </div>
        ) : null}
      </div>
      <p className="text-xs text-slate-500">
        Importing replaces the draft&apos;s events, triggers, variables and destinations (all or nothing). Versions are untouched. Entities that keep their
        name keep their owner and secrets.
      </p>
      <Button type="submit" disabled={pending || text.trim() === ""}>
        {pending ? "Importing…" : "Import and replace the draft"}
      </Button>
    </form>
  );
}
