"use client";
// API tokens: create (the secret is shown once), list, revoke.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { useApiForm } from "../ui/use-api-form";
import { Alert, Badge, Button, EmptyState, Table, Td, Th, formatDate } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { CopyField } from "../ui/copy-field";
import { CopyBlock } from "../ui/copy-block";
import { ConfirmButton } from "../ui/confirm-button";

type Token = {
  id: string;
  name: string;
  role: string;
  prefix: string;
  createdAt: string | Date;
  lastUsedAt: string | Date | null;
  expiresAt: string | Date | null;
  revokedAt: string | Date | null;
  createdBy: { name: string } | null;
};

export function TokensManager({ tokens, origin }: { tokens: Token[]; origin: string }) {
  const router = useRouter();
  const [name, setName] = useState("");
  const [role, setRole] = useState("editor");
  const [expires, setExpires] = useState("90");
  const { fields, message, run } = useApiForm();
  const [created, setCreated] = useState<{ name: string; secret: string } | null>(null);

  async function create(event: FormEvent) {
    event.preventDefault();
    const token = await run(() => api<{ name: string; secret: string }>("POST", "/tokens", { name, role, expiresInDays: expires ? Number(expires) : null }));
    if (!token) return;
    setName("");
    setCreated({ name: token.name, secret: token.secret });
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <form onSubmit={create} noValidate className="flex flex-wrap items-start gap-3" aria-label="New API token">
        <div className="w-64">
          <TextField label="Token name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} hint="What uses it, e.g. ci-deploy" />
        </div>
        <div className="w-40">
          <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value)} error={fields.role}>
            <option value="viewer">viewer</option>
            <option value="editor">editor</option>
            <option value="publisher">publisher</option>
            <option value="owner">owner</option>
          </SelectField>
        </div>
        <div className="w-40">
          <SelectField label="Expires" value={expires} onChange={(e) => setExpires(e.target.value)} error={fields.expiresInDays}>
            <option value="30">in 30 days</option>
            <option value="90">in 90 days</option>
            <option value="365">in a year</option>
            <option value="">never</option>
          </SelectField>
        </div>
        <Button type="submit" className="mt-6">
          Create token
        </Button>
      </form>
      {message && !Object.keys(fields).length ? <Alert>{message}</Alert> : null}
      {created ? (
        <Alert tone="green">
          <p>
            Token <strong>{created.name}</strong> created. Copy it now: it will not be shown again.
          </p>
          <div className="mt-2 space-y-2 text-slate-800">
            <CopyField label="New token secret" hideLabel value={created.secret} tone="green" />
            <CopyBlock id="token-curl" label="Try it" code={`curl -H "Authorization: Bearer ${created.secret}" ${origin}/api/v1/sites`} />
          </div>
        </Alert>
      ) : null}
      {tokens.length === 0 ? (
        <EmptyState title="No API tokens">Create one for scripts, CI or your backend. It acts with the role you choose, in this team only.</EmptyState>
      ) : (
        <Table stack>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Role</Th>
              <Th>Token</Th>
              <Th>Created</Th>
              <Th>Last used</Th>
              <Th>Status</Th>
              <Th className="sr-only">Actions</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {tokens.map((t) => {
              const expired = t.expiresAt !== null && new Date(t.expiresAt) < new Date();
              return (
                <tr key={t.id}>
                  <Td className="font-medium" label="Name">{t.name}</Td>
                  <Td label="Role">{t.role}</Td>
                  <Td className="font-mono text-xs" label="Token">{t.prefix}…</Td>
                  <Td className="whitespace-nowrap text-slate-600" label="Created">
                    {formatDate(t.createdAt)}
                    {t.createdBy ? ` by ${t.createdBy.name}` : ""}
                  </Td>
                  <Td className="whitespace-nowrap text-slate-600" label="Last used">{t.lastUsedAt ? formatDate(t.lastUsedAt) : "never"}</Td>
                  <Td label="Status">
                    {t.revokedAt ? (
                      <Badge tone="red">revoked</Badge>
                    ) : expired ? (
                      <Badge tone="amber">expired</Badge>
                    ) : (
                      <Badge tone="green">{t.expiresAt ? `active until ${new Date(t.expiresAt).toISOString().slice(0, 10)}` : "active"}</Badge>
                    )}
                  </Td>
                  <Td>
                    {t.revokedAt ? null : (
                      <ConfirmButton label="Revoke" confirmLabel={`Revoke ${t.name}`} action={() => api("DELETE", `/tokens/${t.id}`)} onDone={() => router.refresh()} />
                    )}
                  </Td>
                </tr>
              );
            })}
          </tbody>
        </Table>
      )}
    </div>
  );
}
