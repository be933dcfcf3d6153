"use client";
// The fields of one region, shared by the new-site form and the region editor.
import { SelectField, TextField, splitList } from "../ui/fields";
import { Button } from "../ui/primitives";
import type { FieldErrors } from "../ui/api";

export type RegionValues = {
  code: string;
  name: string;
  countries: string;
  currency: string;
  consentDefault: "granted" | "denied";
  rules: { hostname: string; pathPrefix: string }[];
};

export const EMPTY_REGION: RegionValues = { code: "", name: "", countries: "", currency: "", consentDefault: "granted", rules: [] };

export function regionValuesFrom(r: {
  code: string;
  name: string;
  countries: string[];
  currency: string | null;
  consentDefault: "granted" | "denied";
  rules: unknown;
}): RegionValues {
  const rules = Array.isArray(r.rules) ? (r.rules as { hostname?: string; pathPrefix?: string }[]) : [];
  return {
    code: r.code,
    name: r.name,
    countries: r.countries.join(", "),
    currency: r.currency ?? "",
    consentDefault: r.consentDefault,
    rules: rules.map((x) => ({ hostname: x.hostname ?? "", pathPrefix: x.pathPrefix ?? "" })),
  };
}

/** The API body for a region. */
export function regionPayload(v: RegionValues) {
  return {
    code: v.code,
    name: v.name,
    countries: splitList(v.countries),
    currency: v.currency.trim() ? v.currency : null,
    consentDefault: v.consentDefault,
    rules: v.rules.map((r) => ({
      ...(r.hostname.trim() ? { hostname: r.hostname } : {}),
      ...(r.pathPrefix.trim() ? { pathPrefix: r.pathPrefix } : {}),
    })),
  };
}

/** The first error at `path` or below it ("regions.0.countries.1" counts for "regions.0.countries"). */
export function errorAt(fields: FieldErrors, path: string): string | undefined {
  const key = Object.keys(fields).find((k) => k === path || k.startsWith(`${path}.`));
  if (!key) return undefined;
  const index = key.slice(path.length + 1).split(".")[0];
  return key === path || !/^\d+$/.test(index) ? fields[key] : `entry ${Number(index) + 1}: ${fields[key]}`;
}

export function RegionFields({
  value,
  onChange,
  fields,
  prefix,
}: {
  value: RegionValues;
  onChange: (v: RegionValues) => void;
  fields: FieldErrors;
  /** Error path prefix: "" for a lone region, "regions.0." inside a site. */
  prefix: string;
}) {
  const set = <K extends keyof RegionValues>(key: K, v: RegionValues[K]) => onChange({ ...value, [key]: v });
  const err = (path: string) => errorAt(fields, `${prefix}${path}`);
  return (
    <div className="space-y-3">
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <TextField label="Code" value={value.code} onChange={(e) => set("code", e.target.value)} error={err("code")} hint="e.g. eu, us" />
        <TextField label="Name" value={value.name} onChange={(e) => set("name", e.target.value)} error={err("name")} hint="e.g. European Union" />
        <TextField label="Currency" value={value.currency} onChange={(e) => set("currency", e.target.value)} error={err("currency")} hint="Blank: the site's default" placeholder="EUR" />
      </div>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-3">
        <div className="sm:col-span-2">
          <TextField
            label="Countries"
            value={value.countries}
            onChange={(e) => set("countries", e.target.value)}
            error={err("countries")}
            hint="ISO codes separated by commas: DE, FR, IT"
          />
        </div>
        <SelectField
          label="Consent before choice"
          value={value.consentDefault}
          onChange={(e) => set("consentDefault", e.target.value as RegionValues["consentDefault"])}
          error={err("consentDefault")}
        >
          <option value="granted">Granted</option>
          <option value="denied">Denied (until the visitor agrees)</option>
        </SelectField>
      </div>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Hostname and path rules</legend>
        <p className="text-xs text-slate-500">Any matching rule selects this region, whatever the visitor&apos;s country.</p>
        {value.rules.map((rule, i) => (
          <div key={i} className="flex items-end gap-2">
            <div className="flex-1">
              <TextField
                label={`Rule ${i + 1} hostname`}
                value={rule.hostname}
                placeholder="de.shop.example.com"
                onChange={(e) => set("rules", value.rules.map((r, j) => (j === i ? { ...r, hostname: e.target.value } : r)))}
                error={err(`rules.${i}.hostname`) ?? errorAt(fields, `${prefix}rules.${i}`)}
              />
            </div>
            <div className="flex-1">
              <TextField
                label={`Rule ${i + 1} path prefix`}
                value={rule.pathPrefix}
                placeholder="/de"
                onChange={(e) => set("rules", value.rules.map((r, j) => (j === i ? { ...r, pathPrefix: e.target.value } : r)))}
                error={err(`rules.${i}.pathPrefix`)}
              />
            </div>
            <Button type="button" variant="ghost" onClick={() => set("rules", value.rules.filter((_, j) => j !== i))} aria-label={`Remove rule ${i + 1}`}>
              Remove
            </Button>
          </div>
        ))}
        <Button type="button" variant="secondary" onClick={() => set("rules", [...value.rules, { hostname: "", pathPrefix: "" }])}>
          Add rule
        </Button>
      </fieldset>
    </div>
  );
}
