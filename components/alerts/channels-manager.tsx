"use client";
// Where a site's alerts go: signed webhooks (the secret is write-only: typed once, never
// shown again) and email. Each channel can be tested, switched off or removed.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button, EmptyState, formatDate } from "../ui/primitives";
import { SelectField, TextField, splitList } from "../ui/fields";
import { ConfirmButton } from "../ui/confirm-button";

export type Channel = {
  id: string;
  name: string;
  kind: string;
  url: string | null;
  recipients: string[];
  enabled: boolean;
  secretSet: boolean;
  lastSentAt: string | Date | null;
  lastOk: boolean | null;
  lastResponse: string | null;
};

function NewChannel({ siteId, onClose }: { siteId: string; onClose: () => void }) {
  const router = useRouter();
  const [kind, setKind] = useState<"webhook" | "email">("webhook");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [recipients, setRecipients] = useState("");
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    const body = kind === "webhook" ? { kind, name, url, secret } : { kind, name, recipients: splitList(recipients) };
    const result = await api("POST", `/sites/${siteId}/alert-channels`, body);
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      setMessage(result.message);
      return;
    }
    onClose();
    router.refresh();
  }

  const recipientError = Object.entries(fields).find(([k]) => k.startsWith("recipients"))?.[1];
  return (
    <form onSubmit={submit} noValidate className="space-y-3 rounded-md border border-indigo-200 bg-indigo-50/40 p-4" aria-label="New channel">
      {message ? <Alert>{message}</Alert> : null}
      <div className="grid gap-3 sm:grid-cols-2">
        <SelectField label="Kind" value={kind} onChange={(e) => setKind(e.target.value as "webhook" | "email")}>
          <option value="webhook">Signed webhook (Slack-compatible)</option>
          <option value="email">Email</option>
        </SelectField>
        <TextField label="Name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} placeholder="On-call Slack" />
      </div>
      {kind === "webhook" ? (
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField label="URL" type="url" value={url} onChange={(e) => setUrl(e.target.value)} error={fields.url} placeholder="https://hooks.slack.com/services/…" hint="https only; private and loopback addresses are refused. Shown afterwards only up to its first path segment" />
          <TextField
            label="Signing secret"
            type="password"
            autoComplete="off"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            error={fields.secret}
            hint="At least 16 characters. Requests carry X-Tagpipe-Signature: sha256=HMAC(secret, timestamp.body). Not shown again."
          />
        </div>
      ) : (
        <TextField label="Recipients" value={recipients} onChange={(e) => setRecipients(e.target.value)} error={recipientError} placeholder="oncall@example.com, growth@example.com" hint="Comma-separated; sent through the SMTP server Tagpipe is configured with" />
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Adding…" : "Add channel"}
        </Button>
        <Button type="button" variant="ghost" onClick={onClose}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

function ChannelRow({ channel, canManage }: { channel: Channel; canManage: boolean }) {
  const router = useRouter();
  const [result, setResult] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function test() {
    setPending(true);
    const r = await api<{ ok: boolean; response: string }>("POST", `/alert-channels/${channel.id}/test`);
    setPending(false);
    setResult(r.ok ? { ok: r.data.ok, text: r.data.ok ? `Delivered: ${r.data.response}` : `Not delivered: ${r.data.response}` } : { ok: false, text: r.message });
    router.refresh();
  }

  async function toggle() {
    setPending(true);
    const r = await api("PATCH", `/alert-channels/${channel.id}`, { enabled: !channel.enabled });
    setPending(false);
    if (!r.ok) setResult({ ok: false, text: r.message });
    router.refresh();
  }

  return (
    <li className="space-y-2 py-3 first:pt-0 last:pb-0">
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-[14rem] flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <span className="font-medium text-slate-900">{channel.name}</span>
            <Badge tone="indigo">{channel.kind === "webhook" ? "webhook" : "email"}</Badge>
            {channel.enabled ? null : <Badge>off</Badge>}
            {channel.kind === "webhook" ? <Badge tone={channel.secretSet ? "green" : "red"}>{channel.secretSet ? "secret set" : "no secret"}</Badge> : null}
          </div>
          <p className="mt-0.5 break-all text-sm text-slate-600">{channel.kind === "webhook" ? channel.url : channel.recipients.join(", ")}</p>
          {channel.lastSentAt ? (
            <p className="mt-0.5 text-xs text-slate-500">
              Last sent {formatDate(channel.lastSentAt)}: <span className={channel.lastOk ? "text-emerald-700" : "text-red-700"}>{channel.lastOk ? "delivered" : "failed"}</span>
              {channel.lastResponse ? ` — ${channel.lastResponse}` : ""}
            </p>
          ) : (
            <p className="mt-0.5 text-xs text-slate-500">Nothing sent yet</p>
          )}
        </div>
        {canManage ? (
          <div className="flex flex-wrap gap-2">
            <Button type="button" variant="secondary" disabled={pending} onClick={test}>
              {pending ? "Sending…" : "Send test"}
            </Button>
            <Button type="button" variant="ghost" disabled={pending} onClick={toggle}>
              {channel.enabled ? "Disable" : "Enable"}
            </Button>
            <ConfirmButton label="Remove" confirmLabel={`Remove ${channel.name}`} action={() => api("DELETE", `/alert-channels/${channel.id}`)} onDone={() => router.refresh()} />
          </div>
        ) : null}
      </div>
      {result ? <Alert tone={result.ok ? "green" : "red"}>{result.text}</Alert> : null}
    </li>
  );
}

export function ChannelsManager({ siteId, channels, canManage, smtpConfigured }: { siteId: string; channels: Channel[]; canManage: boolean; smtpConfigured: boolean }) {
  const [adding, setAdding] = useState(false);
  return (
    <div className="space-y-4">
      {!smtpConfigured ? <Alert tone="amber">No SMTP server is configured (TAGPIPE_SMTP_URL), so email channels cannot send yet.</Alert> : null}
      {channels.length === 0 ? (
        <EmptyState title="No channels yet">Incidents are recorded here, but nobody is told until the site has a channel: a webhook (Slack, Mattermost, your own endpoint) or email.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100">
          {channels.map((c) => (
            <ChannelRow key={c.id} channel={c} canManage={canManage} />
          ))}
        </ul>
      )}
      {canManage ? (
        adding ? (
          <NewChannel siteId={siteId} onClose={() => setAdding(false)} />
        ) : (
          <Button type="button" variant="secondary" onClick={() => setAdding(true)}>
            Add channel
          </Button>
        )
      ) : null}
    </div>
  );
}
