"use client";
// Team settings: the name and how long collected data is kept (owners change them), and
// deleting the team, confirmed by typing its name.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { useApiForm } from "../ui/use-api-form";
import { Alert, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";

type Team = { name: string; retentionDays: number | null; defaultRetentionDays: number };

/** "30" → 30, "" → null (the default); anything else goes to the API as typed, which names the problem. */
function daysValue(text: string): number | null | string {
  const trimmed = text.trim();
  if (trimmed === "") return null;
  const n = Number(trimmed);
  return Number.isFinite(n) ? n : trimmed;
}

export function TeamSettingsForm({ team, canEdit }: { team: Team; canEdit: boolean }) {
  const router = useRouter();
  const [name, setName] = useState(team.name);
  const [days, setDays] = useState(team.retentionDays === null ? "" : String(team.retentionDays));
  const [saved, setSaved] = useState(false);
  const { fields, message, pending, run } = useApiForm();

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const done = await run(() => api("PATCH", "/team", { name, retentionDays: daysValue(days) }));
    if (!done) return;
    setSaved(true);
    router.refresh();
  }

  return (
    <form onSubmit={save} noValidate className="max-w-lg space-y-4" aria-label="Team settings">
      <TextField label="Team name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} disabled={!canEdit} />
      <TextField
        label="Keep collected data for (days)"
        inputMode="numeric"
        value={days}
        onChange={(e) => setDays(e.target.value)}
        placeholder={String(team.defaultRetentionDays)}
        error={fields.retentionDays}
        disabled={!canEdit}
        hint={`Collected events, their finished deliveries and the request log older than this are deleted every hour. Empty: the server's default, ${team.defaultRetentionDays} days.`}
      />
      {message && !Object.keys(fields).length ? <Alert>{message}</Alert> : null}
      {saved ? <Alert tone="green">Saved.</Alert> : null}
      {canEdit ? (
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : "Save"}
        </Button>
      ) : (
        <p className="text-sm text-slate-600">Only owners change team settings.</p>
      )}
    </form>
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
