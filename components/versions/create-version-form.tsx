"use client";
// "Create version": freezes the draft with a note. Disabled, with the reason, while the
// draft has problems; if the draft broke meanwhile, the API's problem list is shown.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";

export function CreateVersionForm({ containerId, problems, canCreate, nextNumber }: { containerId: string; problems: number; canCreate: boolean; nextNumber: number }) {
  const router = useRouter();
  const [note, setNote] = useState("");
  const [pending, setPending] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const [fields, setFields] = useState<FieldErrors>({});
  const [created, setCreated] = useState<number | null>(null);

  const blocked = !canCreate ? "Viewers cannot create versions: ask an editor." : problems > 0 ? `Fix the ${problems} problem${problems === 1 ? "" : "s"} above first: only a valid draft becomes a version.` : null;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setPending(true);
    const result = await api<{ number: number }>("POST", `/containers/${containerId}/versions`, { note });
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      const count = Object.keys(result.fields).length;
      // draft_invalid: the draft changed since this page loaded; list what is wrong now.
      setMessage(count ? `The version was not created: the draft has ${count} problem${count === 1 ? "" : "s"}.` : result.message);
      return;
    }
    setFields({});
    setMessage(null);
    setNote("");
    setCreated(result.data.number);
    router.refresh();
  }

  return (
    <form onSubmit={submit} noValidate aria-label="Create a version" className="space-y-3">
      {created ? <Alert tone="green">Created v{created}. Publish it from the history below.</Alert> : null}
      {message ? (
        <Alert>
          <p>{message}</p>
          {Object.keys(fields).length ? (
            <ul className="mt-1 list-disc pl-5">
              {Object.entries(fields).map(([path, text]) => (
                <li key={path}>
                  <code className="text-xs">{path}</code> {text}
                </li>
              ))}
            </ul>
          ) : null}
        </Alert>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-72 flex-1">
          <TextField label="Note" value={note} onChange={(e) => setNote(e.target.value)} error={fields.note} placeholder="What changed and why, e.g. Meta CAPI for purchases" maxLength={500} disabled={!!blocked} />
        </div>
        <Button type="submit" disabled={pending || !!blocked} aria-describedby={blocked ? "create-version-blocked" : undefined}>
          {pending ? "Creating…" : `Create version v${nextNumber}`}
        </Button>
      </div>
      {blocked ? (
        <p id="create-version-blocked" className="text-sm text-amber-800">
          {blocked}
        </p>
      ) : null}
    </form>
  );
}
