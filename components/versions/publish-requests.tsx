"use client";
// Publish requests (where production needs approval): the list, each opening its changes
// in the diff view, and beside that diff the decision — approve (publishes) or reject,
// with a comment — for another publisher or owner than the one who asked.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { api } from "../ui/api";
import { Alert, Badge, Button, EmptyState, formatDate } from "../ui/primitives";

export type RequestView = {
  id: string;
  status: "pending" | "approved" | "rejected";
  version: { id: string; number: number };
  environment: { id: string; name: string };
  note: string;
  requesterLabel: string;
  deciderLabel: string | null;
  comment: string;
  decidedAt: string | null;
  createdAt: string;
  reviewHref: string;
};

const TONE = { pending: "amber", approved: "green", rejected: "red" } as const;

export function PublishRequestList({ requests }: { requests: RequestView[] }) {
  if (requests.length === 0) {
    return <EmptyState title="No publish requests">Where production needs approval, “Ask to publish…” on a version sends one here.</EmptyState>;
  }
  return (
    <ul className="divide-y divide-slate-100" aria-label="Publish requests">
      {requests.map((r) => (
        <li key={r.id} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 py-2 text-sm">
          <Badge tone={TONE[r.status]}>{r.status}</Badge>
          <span className="font-semibold">
            v{r.version.number} → {r.environment.name}
          </span>
          <span className="text-slate-600">asked by {r.requesterLabel}</span>
          {r.note ? <span className="text-slate-800">“{r.note}”</span> : null}
          {r.deciderLabel ? (
            <span className="text-slate-600">
              {r.status} by {r.deciderLabel}
              {r.comment ? `: “${r.comment}”` : ""}
            </span>
          ) : null}
          <span className="ml-auto whitespace-nowrap text-xs text-slate-500">{formatDate(r.createdAt)}</span>
          <Link href={r.reviewHref} scroll={false} className="font-medium text-indigo-700 hover:underline">
            {r.status === "pending" ? "Review" : "See the changes"}
            <span className="sr-only">
              {" "}
              of v{r.version.number} to {r.environment.name}
            </span>
          </Link>
        </li>
      ))}
    </ul>
  );
}

/** Beside the diff of a pending request: who asked and why, and the decision. */
export function DecisionPanel({ request, canDecide, isRequester }: { request: RequestView; canDecide: boolean; isRequester: boolean }) {
  const router = useRouter();
  const [comment, setComment] = useState("");
  const [pending, setPending] = useState<"approve" | "reject" | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);

  async function decide(decision: "approve" | "reject") {
    setPending(decision);
    const result = await api("POST", `/publish-requests/${request.id}/${decision}`, { comment });
    setPending(null);
    if (!result.ok) {
      setFieldError(result.fields.comment ?? null);
      return setError(result.fields.comment ? null : result.message);
    }
    router.refresh();
  }

  const heading = (
    <p className="text-sm text-slate-800">
      <span className="font-semibold">{request.requesterLabel}</span> asks to publish <span className="font-semibold">v{request.version.number}</span> to{" "}
      <span className="font-semibold">{request.environment.name}</span>
      {request.note ? <> — “{request.note}”</> : null} <span className="text-xs text-slate-500">({formatDate(request.createdAt)})</span>
    </p>
  );
  if (request.status !== "pending") {
    return (
      <section aria-label="Publish request" className="rounded-md border border-slate-200 bg-slate-50 p-3">
        {heading}
        <p className="mt-1 text-sm">
          <Badge tone={TONE[request.status]}>{request.status}</Badge> by {request.deciderLabel}
          {request.comment ? `: “${request.comment}”` : ""}
        </p>
      </section>
    );
  }
  return (
    <section aria-label="Publish request" className="space-y-2 rounded-md border border-amber-300 bg-amber-50/50 p-3">
      {heading}
      {isRequester ? (
        <p className="text-sm text-slate-700">You asked for this publish: another publisher or owner reviews the changes below and decides.</p>
      ) : !canDecide ? (
        <p className="text-sm text-slate-700">A publisher or owner reviews the changes below and decides.</p>
      ) : (
        <>
          {error ? <Alert>{error}</Alert> : null}
          <div>
            <label htmlFor="decision-comment" className="block text-sm font-medium text-slate-800">
              Comment <span className="font-normal text-slate-500">(needed to reject)</span>
            </label>
            <textarea
              id="decision-comment"
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              maxLength={500}
              rows={2}
              aria-invalid={fieldError ? true : undefined}
              aria-describedby={fieldError ? "decision-comment-error" : undefined}
              className="mt-1 block w-full rounded-md border-0 bg-white px-2.5 py-1.5 text-sm ring-1 ring-inset ring-slate-300 focus:ring-2 focus:ring-indigo-600"
            />
            {fieldError ? (
              <p id="decision-comment-error" className="mt-1 text-sm text-red-700">
                {fieldError}
              </p>
            ) : null}
          </div>
          <div className="flex flex-wrap gap-2">
            <Button type="button" onClick={() => decide("approve")} disabled={pending !== null}>
              {pending === "approve" ? "Publishing…" : `Approve and publish v${request.version.number} to ${request.environment.name}`}
            </Button>
            <Button type="button" variant="danger" onClick={() => decide("reject")} disabled={pending !== null}>
              {pending === "reject" ? "Rejecting…" : "Reject"}
            </Button>
          </div>
        </>
      )}
    </section>
  );
}
