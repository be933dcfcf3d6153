import { redirect } from "next/navigation";
import { AccountForm } from "@/components/auth/setup-form";
import { needsSetup, openSignup } from "@/lib/team/accounts";

export const metadata = { title: "Create your team" };
export const dynamic = "force-dynamic";

export default async function SetupPage() {
  if (!(await needsSetup()) && !openSignup()) redirect("/signin");
  return (
    <>
      <h1 className="text-lg font-semibold">Create your team</h1>
      <p className="mb-4 mt-1 text-sm text-slate-600">You will be its owner. Invite the rest of your team afterwards.</p>
      <AccountForm mode="setup" />
    </>
  );
}
