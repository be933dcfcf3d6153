import Link from "next/link";
import { AccountForm } from "@/components/auth/setup-form";
import { describeInvite } from "@/lib/team/invites";

export const metadata = { title: "Join a team" };
export const dynamic = "force-dynamic";

export default async function InvitePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const invite = await describeInvite(token);
  if (!invite) {
    return (
      <div className="space-y-3">
        <h1 className="text-lg font-semibold">This invitation is not valid</h1>
        <p className="text-sm text-slate-600">It was used already, withdrawn, or it expired. Ask the owner who invited you for a new link.</p>
        <Link href="/signin" className="text-sm font-medium text-indigo-700 hover:underline">
          Go to sign in
        </Link>
      </div>
    );
  }
  return (
    <>
      <h1 className="text-lg font-semibold">Join {invite.teamName}</h1>
      <p className="mb-4 mt-1 text-sm text-slate-600">
        You are invited as <strong>{invite.role}</strong>.
        {invite.existingUser ? " You already have an account: confirm with your password." : ""}
      </p>
      <AccountForm mode="invite" token={token} email={invite.email} existingUser={invite.existingUser} />
    </>
  );
}
