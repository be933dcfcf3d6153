"use client";
import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert, Button } from "../ui/primitives";
import { TextField } from "../ui/fields";

export function SignInForm({ next, oauth }: { next: string; oauth: { id: string; name: string }[] }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [missing, setMissing] = useState<{ email?: string; password?: string }>({});

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setError(null);
    // An empty field is named beside it, not reported as a wrong password.
    const empty = { email: email ? undefined : "Enter your email address", password: password ? undefined : "Enter your password" };
    setMissing(empty);
    if (empty.email || empty.password) {
      event.currentTarget.querySelector<HTMLInputElement>(empty.email ? "input[name=email]" : "input[name=password]")?.focus();
      return;
    }
    setPending(true);
    const result = await signIn("credentials", { redirect: false, email, password });
    setPending(false);
    if (!result || result.error) {
      setError(!result || result.error === "CredentialsSignin" ? "Wrong email or password" : result.error);
      return;
    }
    router.push(next);
    router.refresh();
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <h1 className="text-lg font-semibold">Sign in</h1>
      {error ? <Alert>{error}</Alert> : null}
      <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus error={missing.email} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required error={missing.password} />
      <Button type="submit" disabled={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
      {oauth.map((p) => (
        <Button key={p.id} type="button" variant="secondary" className="w-full" onClick={() => signIn(p.id, { callbackUrl: next })}>
          Continue with {p.name}
        </Button>
      ))}
    </form>
  );
}
