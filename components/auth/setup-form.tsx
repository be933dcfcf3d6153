"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";

/** Creates an account: the first owner of a fresh install (signup) or an invitee (accept). */
export function AccountForm({
  mode,
  token,
  email: fixedEmail,
  existingUser,
}: {
  mode: "setup" | "invite";
  token?: string;
  email?: string;
  existingUser?: boolean;
}) {
  const router = useRouter();
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = fixedEmail ?? String(form.get("email") ?? "");
    const password = String(form.get("password") ?? "");
    const name = String(form.get("name") ?? "");
    setPending(true);
    const result =
      mode === "setup"
        ? await api("POST", "/signup", { email, name, password, teamName: String(form.get("teamName") ?? "") })
        : await api("POST", "/invites/accept", { token, name: existingUser ? "existing" : name, password });
    if (!result.ok) {
      setPending(false);
      setFields(result.fields);
      setMessage(result.message);
      return;
    }
    await signIn("credentials", { redirect: false, email, password });
    router.push("/overview");
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {message ? <Alert>{message}</Alert> : null}
      {mode === "setup" ? (
        <>
          <TextField label="Team name" name="teamName" required error={fields.teamName} hint="Your company or agency" />
          <TextField label="Email" name="email" type="email" autoComplete="email" required error={fields.email} />
        </>
      ) : (
        <TextField label="Email" name="email" type="email" value={fixedEmail} readOnly />
      )}
      {existingUser ? null : <TextField label="Your name" name="name" autoComplete="name" required error={fields.name} />}
      <TextField
        label={existingUser ? "Your existing password" : "Password"}
        name="password"
        type="password"
        autoComplete={existingUser ? "current-password" : "new-password"}
        required
        error={fields.password}
        hint={existingUser ? undefined : "At least 10 characters"}
      />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Working…" : mode === "setup" ? "Create team" : "Join team"}
      </Button>
    </form>
  );
}
