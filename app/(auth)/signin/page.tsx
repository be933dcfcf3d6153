import { redirect } from "next/navigation";
import { SignInForm } from "@/components/auth/signin-form";
import { needsSetup } from "@/lib/team/accounts";
import { sessionActor } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata = { title: "Sign in" };
export const dynamic = "force-dynamic";

// Only same-site paths are followed after sign-in (no open redirect).
function safeNext(value: string | undefined): string {
  return value && value.startsWith("/") && !value.startsWith("//") ? value : "/overview";
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ next?: string; error?: string }> }) {
  if (await needsSetup()) redirect("/setup");
  if (await sessionActor()) redirect("/overview");
  const { next, error } = await searchParams;
  const e = env();
  const oauth = [
    ...(e.GITHUB_ID && e.GITHUB_SECRET ? [{ id: "github", name: "GitHub" }] : []),
    ...(e.GOOGLE_ID && e.GOOGLE_SECRET ? [{ id: "google", name: "Google" }] : []),
  ];
  return (
    <>
      {error === "AccessDenied" ? (
        <p role="alert" className="mb-4 text-sm text-red-700">
          That account is not a member of any team here: ask an owner for an invitation.
        </p>
      ) : null}
      <SignInForm next={safeNext(next)} oauth={oauth} />
    </>
  );
}
