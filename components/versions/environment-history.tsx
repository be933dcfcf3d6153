"use client";
// What each environment served over time, newest first, with a one-click (two-step)
// rollback to an earlier version: rollback is just publishing that version again.
import { useRouter } from "next/navigation";
import { api } from "../ui/api";
import { Badge, formatDate } from "../ui/primitives";
import { ConfirmButton } from "../ui/confirm-button";

export type EnvironmentHistoryView = {
  id: string;
  name: string;
  live: number | null;
  entries: { id: string; version: { id: string; number: number }; actorLabel: string; note: string; rollback: boolean; createdAt: string }[];
};

export function EnvironmentHistories({ environments, canPublish }: { environments: EnvironmentHistoryView[]; canPublish: boolean }) {
  const router = useRouter();
  return (
    <div className="grid grid-cols-1 gap-4 lg:grid-cols-3">
      {environments.map((env) => {
        // The newest entry of each version other than the live one offers to go back to it.
        const offered = new Set<string>();
        return (
          <section key={env.id} aria-labelledby={`env-${env.id}`} className="rounded-md border border-slate-200 p-3">
            <h3 className="flex items-center justify-between gap-2 text-sm font-semibold text-slate-900">
              <span id={`env-${env.id}`}>{env.name}</span>
              {env.live ? <Badge tone="green">v{env.live} live</Badge> : <Badge>nothing published</Badge>}
            </h3>
            {env.entries.length === 0 ? (
              <p className="mt-2 text-sm text-slate-500">Never published.</p>
            ) : (
              <ol className="mt-2 space-y-2" aria-label={`${env.name} history`}>
                {env.entries.map((entry) => {
                  const n = entry.version.number;
                  const offer = canPublish && n !== env.live && !offered.has(entry.version.id);
                  offered.add(entry.version.id);
                  const back = env.live !== null && n < env.live;
                  return (
                    <li key={entry.id} className="border-t border-slate-100 pt-2 text-sm first:border-t-0 first:pt-0">
                      <p className="flex flex-wrap items-center gap-1.5">
                        <span className="font-semibold">v{n}</span>
                        {entry.rollback ? <Badge tone="amber">rollback</Badge> : null}
                        <span className="text-slate-600">by {entry.actorLabel}</span>
                      </p>
                      <p className="text-xs text-slate-500">{formatDate(entry.createdAt)}</p>
                      {entry.note ? <p className="text-slate-700">{entry.note}</p> : null}
                      {offer ? (
                        <div className="mt-1">
                          <ConfirmButton
                            variant="secondary"
                            label={back ? `Roll back to v${n}` : `Publish v${n} again`}
                            confirmLabel={back ? `Yes, roll ${env.name} back to v${n}` : `Yes, publish v${n} to ${env.name}`}
                            action={() => api("POST", `/versions/${entry.version.id}/publish`, { environmentId: env.id, note: back ? `Rollback to v${n}` : `Republished v${n}` })}
                            onDone={() => router.refresh()}
                          />
                        </div>
                      ) : null}
                    </li>
                  );
                })}
              </ol>
            )}
          </section>
        );
      })}
    </div>
  );
}
