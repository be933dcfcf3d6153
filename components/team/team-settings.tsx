"use client";
// Team settings, one form per concern, each saved through the one PATCH /team: the name,
// how long collected data is kept, whether production needs approval (owners change
// them; everyone else reads them), and deleting the team, confirmed by typing its name.
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { api } from "../ui/api";
import { useApiForm } from "../ui/use-api-form";
import { Alert, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";
import type { FieldErrors } from "../ui/api";

/** "30" → 30, "" → null (the default); anything else goes to the API as typed, which names the problem. */
function daysValue(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

/**
 * One setting's form: its fields, a Save button that says it is busy, the server's words
 * beside the field (or above, when no field is named) and "Saved." once it is.
 */
function SettingForm({
  label,
  body,
  canEdit,
  saved: savedText = "Saved.",
  children,
}: {
  label: string;
  body: () => object;
  canEdit: boolean;
  saved?: string;
  children: (fields: FieldErrors, clearSaved: () => void) => ReactNode;
}) {
  const router = useRouter();
  const [saved, setSaved] = useState(false);
  const { fields, message, pending, run } = useApiForm();

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    if (!(await run(() => api("PATCH", "/team", body())))) return;
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={save} noValidate className="max-w-lg space-y-4" aria-label={label}>
      {children(fields, () => setSaved(false))}
      {message && !Object.keys(fields).length ? <Alert>{message}</Alert> : null}
      <p role="status" className="text-sm text-emerald-800">
        {saved ? savedText : null}
      </p>
      {canEdit ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      ) : null}
    </form>
  );
}

export function TeamNameForm({ name: initial, canEdit }: { name: string; canEdit: boolean }) {
  const [name, setName] = useState(initial);
  return (
    <SettingForm label="Team name" canEdit={canEdit} body={() => ({ name })}>
      {(fields, clearSaved) => (
        <TextField
          label="Team name"
          value={name}
          onChange={(e) => {
            clearSaved();
            setName(e.target.value);
          }}
          error={fields.name}
          disabled={!canEdit}
        />
      )}
    </SettingForm>
  );
}

export function RetentionForm({ retentionDays, defaultRetentionDays, canEdit }: { retentionDays: number | null; defaultRetentionDays: number; canEdit: boolean }) {
  const [days, setDays] = useState(retentionDays === null ? "" : String(retentionDays));
  return (
    <SettingForm label="Data retention" canEdit={canEdit} body={() => ({ retentionDays: daysValue(days) })}>
      {(fields, clearSaved) => (
        <TextField
          label="Keep collected data for (days)"
          inputMode="numeric"
          value={days}
          onChange={(e) => {
            clearSaved();
            setDays(e.target.value);
          }}
          placeholder={String(defaultRetentionDays)}
          error={fields.retentionDays}
          disabled={!canEdit}
          hint={`Collected events, their finished deliveries and the request log older than this are deleted every hour. Empty: the server's default, ${defaultRetentionDays} days.`}
        />
      )}
    </SettingForm>
  );
}

export function ApprovalForm({ required, canEdit }: { required: boolean; canEdit: boolean }) {
  const [value, setValue] = useState(required);
  return (
    <SettingForm
      label="Publishing"
      canEdit={canEdit}
      body={() => ({ productionNeedsApproval: value })}
      saved={value ? "Saved: production now needs approval." : "Saved: publishers publish to production directly."}
    >
      {(fields, clearSaved) => (
        <div className="space-y-2 text-sm">
          <label className="flex items-start gap-2">
            <input
              type="checkbox"
              className="mt-0.5 size-4"
              checked={value}
              disabled={!canEdit}
              onChange={(e) => {
                clearSaved();
                setValue(e.target.checked);
              }}
              aria-describedby="approval-help"
              aria-invalid={fields.productionNeedsApproval ? true : undefined}
            />
            <span className="font-medium text-slate-900">Production needs approval</span>
          </label>
          <p id="approval-help" className="text-slate-600">
            An editor or publisher asks to publish a version to production with a note; another publisher or owner reviews its changes and approves (it is published) or rejects it. Rolling back to a version production served before needs no approval.
          </p>
          {fields.productionNeedsApproval ? <p className="text-red-700">{fields.productionNeedsApproval}</p> : null}
        </div>
      )}
    </SettingForm>
  );
}

export function DeleteTeamForm({ teamName }: { teamName: string }) {
  const router = useRouter();
  const [typed, setTyped] = useState("");
  const { fields, message, pending, run } = useApiForm();

  async function remove(event: FormEvent) {
    event.preventDefault();
    const done = await run(() => api("DELETE", "/team", { name: typed }));
    // The team and every membership in it are gone: sign-in sends a member of another team
    // there, and anyone else to the sign-in form.
    if (done === null) return;
    router.push("/signin");
    router.refresh();
  }

  return (
    <form onSubmit={remove} noValidate className="max-w-lg space-y-4" aria-label="Delete team">
      <p className="text-sm text-slate-700">
        Deletes the team for everyone: its sites, containers, members, API tokens, audit log, and every event, delivery and order it collected. Members are signed out of it at
        once. This cannot be undone.
      </p>
      <TextField label={`Type the team's name (${teamName}) to confirm`} value={typed} onChange={(e) => setTyped(e.target.value)} error={fields.name} autoComplete="off" />
      {message && !Object.keys(fields).length ? <Alert>{message}</Alert> : null}
      <Button type="submit" variant="danger" disabled={pending || typed.trim() !== teamName}>
        {pending ? "Deleting…" : "Delete this team"}
      </Button>
    </form>
  );
}
