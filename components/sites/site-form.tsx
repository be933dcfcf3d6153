"use client";
// Create a site (with regions) or edit its settings.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api, type FieldErrors } from "../ui/api";
import { Alert, Button } from "../ui/primitives";
import { TextField, splitList } from "../ui/fields";
import { EMPTY_REGION, RegionFields, errorAt, regionPayload, type RegionValues } from "./region-fields";

type Site = { id: string; name: string; hostnames: string[]; defaultCurrency: string };

export function SiteForm({ site }: { site?: Site }) {
  const router = useRouter();
  const [name, setName] = useState(site?.name ?? "");
  const [hostnames, setHostnames] = useState(site?.hostnames.join(", ") ?? "");
  const [currency, setCurrency] = useState(site?.defaultCurrency ?? "");
  const [regions, setRegions] = useState<RegionValues[]>([]);
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<{ tone: "red" | "green"; text: string } | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setPending(true);
    setMessage(null);
    const body = { name, hostnames: splitList(hostnames), defaultCurrency: currency };
    const result = site
      ? await api<Site>("PATCH", `/sites/${site.id}`, body)
      : await api<Site>("POST", "/sites", { ...body, regions: regions.map(regionPayload) });
    setPending(false);
    if (!result.ok) {
      setFields(result.fields);
      setMessage({ tone: "red", text: result.message });
      return;
    }
    setFields({});
    if (site) {
      setMessage({ tone: "green", text: "Saved" });
      router.refresh();
    } else {
      router.push(`/sites/${result.data.id}`);
      router.refresh();
    }
  }

  return (
    <form onSubmit={submit} className="space-y-5" noValidate aria-label={site ? "Site settings" : "New site"}>
      {message ? <Alert tone={message.tone}>{message.text}</Alert> : null}
      <div className="grid grid-cols-1 gap-4 sm:grid-cols-2">
        <TextField label="Site name" value={name} onChange={(e) => setName(e.target.value)} error={fields.name} required />
        <TextField
          label="Default currency"
          value={currency}
          onChange={(e) => setCurrency(e.target.value)}
          error={fields.defaultCurrency}
          hint="ISO 4217, e.g. EUR or USD"
          placeholder="EUR"
          required
        />
      </div>
      <TextField
        label="Hostnames"
        value={hostnames}
        onChange={(e) => setHostnames(e.target.value)}
        error={errorAt(fields, "hostnames")}
        hint="Separated by commas: shop.example.com, *.example.com. Only these may send events."
        required
      />
      {site ? null : (
        <fieldset className="space-y-4">
          <legend className="text-base font-semibold text-slate-900">Regions</legend>
          <p className="text-sm text-slate-600">Optional: parts of your audience with their own currency and consent default. You can add them later.</p>
          {regions.map((r, i) => (
            <div key={i} className="rounded-md border border-slate-200 p-4">
              <div className="mb-2 flex items-center justify-between">
                <p className="text-sm font-semibold">Region {i + 1}</p>
                <Button type="button" variant="ghost" onClick={() => setRegions(regions.filter((_, j) => j !== i))}>
                  Remove region
                </Button>
              </div>
              <RegionFields value={r} onChange={(v) => setRegions(regions.map((x, j) => (j === i ? v : x)))} fields={fields} prefix={`regions.${i}.`} />
            </div>
          ))}
          {fields.regions ? <p className="text-sm text-red-700">{fields.regions}</p> : null}
          <Button type="button" variant="secondary" onClick={() => setRegions([...regions, { ...EMPTY_REGION }])}>
            Add region
          </Button>
        </fieldset>
      )}
      <div className="flex gap-2">
        <Button type="submit" disabled={pending}>
          {pending ? "Saving…" : site ? "Save settings" : "Create site"}
        </Button>
      </div>
    </form>
  );
}
