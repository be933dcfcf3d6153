"use client";
// A site's alert rules: each on or off, with its thresholds, saved one rule at a time;
// errors show beside the threshold they are about.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Badge, Button } from "../ui/primitives";

export type Rule = {
  kind: string;
  title: string;
  description: string;
  enabled: boolean;
  custom: boolean;
  settings: Record<string, number>;
  defaults: Record<string, number>;
};

const SETTING_LABELS: Record<string, { label: string; unit: string }> = {
  dropPercent: { label: "Drop", unit: "% below baseline" },
  minVolume: { label: "Minimum volume", unit: "in the last hour" },
  "volume_drop.minVolume": { label: "Minimum volume", unit: "per hour in the baseline" },
  "dedup_coverage.minVolume": { label: "Minimum conversions", unit: "in 24 h" },
  minutes: { label: "After", unit: "minutes" },
  minEvents: { label: "Minimum events", unit: "in 24 h" },
  "event_silent.minEvents": { label: "Active with", unit: "events in the 24 h before" },
  percent: { label: "Threshold", unit: "%" },
  "dedup_coverage.percent": { label: "Below", unit: "% from both (Meta's goal: 75)" },
  minCount: { label: "Dropped events", unit: "in the last hour" },
};

function settingLabel(kind: string, key: string) {
  return SETTING_LABELS[`${kind}.${key}`] ?? SETTING_LABELS[key] ?? { label: key, unit: "" };
}

function RuleRow({ siteId, rule, canManage }: { siteId: string; rule: Rule; canManage: boolean }) {
  const router = useRouter();
  const [enabled, setEnabled] = useState(rule.enabled);
  const [values, setValues] = useState<Record<string, string>>(Object.fromEntries(Object.entries(rule.settings).map(([k, v]) => [k, String(v)])));
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function save(event: FormEvent, body?: Record<string, unknown>) {
    event.preventDefault();
    setPending(true);
    const settings = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.trim() === "" ? NaN : Number(v)]));
    const bad = Object.entries(settings).filter(([, v]) => !Number.isFinite(v));
    if (bad.length && !body) {
      setPending(false);
      setFields(Object.fromEntries(bad.map(([k]) => [`settings.${k}`, "must be a number"])));
      return;
    }
    const result = await api<Rule>("PATCH", `/sites/${siteId}/alert-rules/${rule.kind}`, body ?? { enabled, settings });
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      setMessage({ tone: "red", text: result.message });
      return;
    }
    setFields({});
    setEnabled(result.data.enabled);
    setValues(Object.fromEntries(Object.entries(result.data.settings).map(([k, v]) => [k, String(v)])));
    setMessage({ tone: "green", text: body ? "Back to the defaults" : "Saved" });
    router.refresh();
  }

  return (
    <form onSubmit={save} noValidate className="space-y-3 py-4 first:pt-0 last:pb-0" aria-label={rule.title}>
      <div className="flex flex-wrap items-start justify-between gap-3">
        <div className="min-w-[14rem] flex-1">
          <div className="flex flex-wrap items-center gap-2">
            <h3 className="text-sm font-semibold text-slate-900">{rule.title}</h3>
            {enabled ? <Badge tone="green">on</Badge> : <Badge>off</Badge>}
            {rule.custom ? <Badge tone="indigo">changed for this site</Badge> : null}
          </div>
          <p className="mt-0.5 max-w-2xl text-sm text-slate-600">{rule.description}</p>
        </div>
        <label className="flex items-center gap-2 text-sm text-slate-800">
          <input type="checkbox" checked={enabled} disabled={!canManage} onChange={(e) => setEnabled(e.target.checked)} className="h-4 w-4 rounded border-slate-300 text-indigo-600" />
          Enabled
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-4">
        {Object.keys(rule.settings).map((key) => {
          const error = fields[`settings.${key}`];
          const id = `${rule.kind}-${key}`;
          return (
            <div key={key} className="space-y-1">
              <label htmlFor={id} className="block text-xs font-medium text-slate-700">
                {settingLabel(rule.kind, key).label}
              </label>
              <div className="flex items-center gap-1.5">
                <input
                  id={id}
                  type="number"
                  inputMode="numeric"
                  value={values[key] ?? ""}
                  disabled={!canManage}
                  onChange={(e) => setValues({ ...values, [key]: e.target.value })}
                  aria-invalid={error ? true : undefined}
                  aria-describedby={error ? `${id}-error` : undefined}
                  className={`w-24 rounded-md border-0 px-2 py-1 text-sm shadow-sm ring-1 ring-inset focus:ring-2 focus:ring-indigo-600 ${error ? "ring-red-400" : "ring-slate-300"}`}
                />
                <span className="text-xs text-slate-500">{settingLabel(rule.kind, key).unit}</span>
              </div>
              {error ? (
                <p id={`${id}-error`} className="text-xs text-red-700">
                  {error}
                </p>
              ) : (
                <p className="text-xs text-slate-400">default {rule.defaults[key]}</p>
              )}
            </div>
          );
        })}
        {canManage ? (
          <div className="flex gap-2 pb-5">
            <Button type="submit" variant="secondary" disabled={pending}>
              {pending ? "Saving…" : "Save"}
            </Button>
            {rule.custom ? (
              <Button type="button" variant="ghost" disabled={pending} onClick={(e) => save(e, { reset: true })}>
                Reset
              </Button>
            ) : null}
          </div>
        ) : null}
      </div>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
    </form>
  );
}

export function RulesEditor({ siteId, rules, canManage }: { siteId: string; rules: Rule[]; canManage: boolean }) {
  return (
    <div className="divide-y divide-slate-100">
      {rules.map((rule) => (
        <RuleRow key={rule.kind} siteId={siteId} rule={rule} canManage={canManage} />
      ))}
    </div>
  );
}
