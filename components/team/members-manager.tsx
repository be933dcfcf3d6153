"use client";
// Members and roles; invitations by link (no mail server needed).
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { useApiForm } from "../ui/use-api-form";
import { Alert, Badge, Button, Table, Td, Th, formatDate } from "../ui/primitives";
import { SelectField, TextField } from "../ui/fields";
import { CopyField } from "../ui/copy-field";
import { ConfirmButton } from "../ui/confirm-button";

const ROLES = ["owner", "publisher", "editor", "viewer"] as const;
type Role = (typeof ROLES)[number];
type Member = { id: string; role: Role; createdAt: string | Date; user: { id: string; email: string; name: string } };
type Invite = { id: string; email: string; role: Role; invitedBy: string; expiresAt: string | Date };

function RoleSelect({ member, disabled }: { member: Member; disabled: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  async function change(role: string) {
    const result = await api("PATCH", `/members/${member.id}`, { role });
    if (!result.ok) setError(result.message);
    else {
      setError(null);
      router.refresh();
    }
  }
  if (disabled) return <Badge tone={member.role === "owner" ? "indigo" : "slate"}>{member.role}</Badge>;
  return (
    <div>
      <label className="sr-only" htmlFor={`role-${member.id}`}>
        Role of {member.user.email}
      </label>
      <select
        id={`role-${member.id}`}
        value={member.role}
        onChange={(e) => change(e.target.value)}
        className="rounded-md border-0 bg-white py-1 pl-2 pr-7 text-sm ring-1 ring-inset ring-slate-300"
      >
        {ROLES.map((r) => (
          <option key={r} value={r}>
            {r}
          </option>
        ))}
      </select>
      {error ? <p role="alert" className="mt-1 text-sm text-red-700">{error}</p> : null}
    </div>
  );
}

export function MembersManager({ members, invites, canManage, me }: { members: Member[]; invites: Invite[]; canManage: boolean; me: string | null }) {
  const router = useRouter();
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("editor");
  const { fields, message, run } = useApiForm();
  const [link, setLink] = useState<{ email: string; url: string } | null>(null);

  async function invite(event: FormEvent) {
    event.preventDefault();
    const created = await run(() => api<{ link: string; email: string }>("POST", "/invites", { email, role }));
    if (!created) return;
    setEmail("");
    setLink({ email: created.email, url: created.link });
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <Table stack>
        <thead>
          <tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th>Since</Th>
            {canManage ? <Th className="sr-only">Actions</Th> : null}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">
          {members.map((m) => (
            <tr key={m.id}>
              <Td className="font-medium" label="Name">
                {m.user.name} {m.user.id === me ? <span className="text-xs text-slate-500">(you)</span> : null}
              </Td>
              <Td label="Email" className="break-all">{m.user.email}</Td>
              <Td label="Role">
                <RoleSelect member={m} disabled={!canManage} />
              </Td>
              <Td label="Since" className="whitespace-nowrap text-slate-600">{formatDate(m.createdAt)}</Td>
              {canManage ? (
                <Td>
                  <ConfirmButton label="Remove" confirmLabel={`Remove ${m.user.email}`} action={() => api("DELETE", `/members/${m.id}`)} onDone={() => router.refresh()} />
                </Td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </Table>

      {canManage ? (
        <div className="space-y-4 border-t border-slate-100 pt-5">
          <h3 className="text-base font-semibold">Invite someone</h3>
          <form onSubmit={invite} noValidate className="flex flex-wrap items-start gap-3" aria-label="Invite a member">
            <div className="w-72">
              <TextField label="Email" type="email" value={email} onChange={(e) => setEmail(e.target.value)} error={fields.email} />
            </div>
            <div className="w-44">
              <SelectField label="Role" value={role} onChange={(e) => setRole(e.target.value as Role)} error={fields.role}>
                {ROLES.map((r) => (
                  <option key={r} value={r}>
                    {r}
                  </option>
                ))}
              </SelectField>
            </div>
            <Button type="submit" className="mt-6">
              Create invitation link
            </Button>
          </form>
          {message && !Object.keys(fields).length ? <Alert>{message}</Alert> : null}
          {link ? (
            <Alert tone="green">
              <p>
                Send this link to <strong>{link.email}</strong>. It works once and expires in 7 days:
              </p>
              <div className="mt-2">
                <CopyField label="Invitation link" hideLabel value={link.url} tone="green" />
              </div>
            </Alert>
          ) : null}
          {invites.length ? (
            <div>
              <h3 className="mb-2 text-sm font-semibold text-slate-800">Pending invitations</h3>
              <ul className="divide-y divide-slate-100 text-sm">
                {invites.map((i) => (
                  <li key={i.id} className="flex items-center justify-between gap-3 py-2">
                    <span className="min-w-0 break-words">
                      {i.email} <Badge>{i.role}</Badge> <span className="text-slate-500">by {i.invitedBy}, expires {formatDate(i.expiresAt)}</span>
                    </span>
                    {/* shrink-0: at 390 px a long address squeezed the button to one letter per line */}
                    <div className="shrink-0">
                      <ConfirmButton label="Withdraw" confirmLabel="Withdraw invitation" action={() => api("DELETE", `/invites/${i.id}`)} onDone={() => router.refresh()} />
                    </div>
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}
