"use client";
// A destination per platform: its public ids (they reach the browser), its secret tokens
// (write-only, encrypted at rest), which events go there under which name, the regions
// where it is on, and what happens to events from non-production environments.
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { api } from "../ui/api";
import { SelectField, TextField } from "../ui/fields";
import { idProblem } from "@/lib/schemas/field-rules";
import { useApiForm } from "../ui/use-api-form";
import { CommonFields, EditorFrame, commonPayload, type Common } from "./common-fields";
import type { EntityBase, Owner } from "./entity-list";
import { errorAt } from "../sites/region-fields";
import { PLATFORM_FIELDS, type DeliveryMode, type DestinationPlatform } from "@/lib/schemas/config";
import { FILL_IN } from "@/lib/platforms/delivery-mode";
import { PLATFORM_KEYS, PLATFORMS } from "@/lib/platforms/registry";

export const DELIVERY_MODE_LABELS: Record<DeliveryMode, string> = {
  browser_fill_in: "Tag, and the server where the tag was blocked",
  browser: "Tag only",
  server: "Server only (no tag in the container)",
};

type Definition = {
  platform: DestinationPlatform;
  ids: Record<string, string>;
  events: { eventId: string; name?: string }[];
  regions: string[] | null;
  testEventCode?: string;
  nonProduction: "test" | "hold";
  deliveryMode?: DeliveryMode;
};
export type DestinationRow = EntityBase & { definition: Definition; secretsSet: string[] };

export const PLATFORM_LABELS = Object.fromEntries(PLATFORM_KEYS.map((k) => [k, PLATFORMS[k].label])) as Record<DestinationPlatform, string>;

export function DestinationEditor({
  containerId,
  destination,
  events,
  regions,
  owners,
  onClose,
}: {
  containerId: string;
  destination: DestinationRow | null;
  events: { id: string; name: string; platformName: (platform: string) => string | undefined }[];
  regions: string[];
  owners: Owner[];
  onClose: () => void;
}) {
  const router = useRouter();
  const form = useApiForm();
  const d = destination?.definition;
  const [common, setCommon] = useState<Common>({ name: destination?.name ?? "", description: destination?.description ?? "", ownerId: destination?.ownerId ?? "" });
  const [platform, setPlatform] = useState<DestinationPlatform>(d?.platform ?? "meta");
  const [ids, setIds] = useState<Record<string, string>>(d?.ids ?? {});
  const [secrets, setSecrets] = useState<Record<string, string>>({});
  const [clear, setClear] = useState<string[]>([]);
  const [selected, setSelected] = useState<{ eventId: string; name?: string }[]>(d?.events ?? []);
  const [allRegions, setAllRegions] = useState(d ? d.regions === null : true);
  const [onRegions, setOnRegions] = useState<string[]>(d?.regions ?? regions);
  const [testEventCode, setTestEventCode] = useState(d?.testEventCode ?? "");
  const [nonProduction, setNonProduction] = useState<"test" | "hold">(d?.nonProduction ?? "test");
  const [deliveryMode, setDeliveryMode] = useState<DeliveryMode>(d?.deliveryMode ?? "browser_fill_in");
  const hasMode = !!FILL_IN[platform];
  const f = (p: string) => errorAt(form.fields, p);
  const fields = PLATFORM_FIELDS[platform];
  const isSet = (key: string) => destination?.secretsSet.includes(key) && destination.definition.platform === platform && !clear.includes(key);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const secretChanges: Record<string, string | null> = {};
    for (const s of fields.secrets) {
      if (secrets[s.key]) secretChanges[s.key] = secrets[s.key];
      else if (clear.includes(s.key)) secretChanges[s.key] = null;
    }
    const definition = {
      platform,
      ids: Object.fromEntries(fields.ids.map((i) => [i.key, ids[i.key] ?? ""]).filter(([, v]) => v !== "")),
      events: selected,
      regions: allRegions ? null : onRegions,
      ...(testEventCode ? { testEventCode } : {}),
      nonProduction,
      ...(hasMode ? { deliveryMode } : {}),
    };
    const body = { ...commonPayload(common), definition, secrets: secretChanges };
    const saved = await form.run(() =>
      destination ? api("PATCH", `/destinations/${destination.id}`, { ...body, revision: destination.revision }) : api("POST", `/containers/${containerId}/destinations`, body),
    );
    if (saved) {
      onClose();
      router.refresh();
    }
  }

  const toggleEvent = (eventId: string, on: boolean) => setSelected(on ? [...selected, { eventId }] : selected.filter((e) => e.eventId !== eventId));
  const rename = (eventId: string, name: string) => setSelected(selected.map((e) => (e.eventId === eventId ? { eventId, ...(name ? { name } : {}) } : e)));
  const platformKey = platform === "google_ads" ? "google_ads" : platform;

  return (
    <EditorFrame title={destination ? `Edit destination ${destination.name}` : "New destination"} onSubmit={submit} onCancel={onClose} pending={form.pending} message={form.message} conflict={form.conflict} submitLabel={destination ? "Save destination" : "Create destination"}>
      <CommonFields value={common} onChange={setCommon} owners={owners} fields={form.fields} />
      <SelectField label="Platform" value={platform} onChange={(e) => setPlatform(e.target.value as DestinationPlatform)} error={f("definition.platform")}>
        {Object.entries(PLATFORM_LABELS).map(([k, v]) => (
          <option key={k} value={k}>
            {v}
          </option>
        ))}
      </SelectField>
      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        {fields.ids.map((i) => (
          <TextField key={i.key} label={i.label} value={ids[i.key] ?? ""} onChange={(e) => {
              form.clear(`definition.ids.${i.key}`);
              setIds({ ...ids, [i.key]: e.target.value });
            }} error={idProblem(i, ids[i.key], false) ?? f(`definition.ids.${i.key}`)} data-field={`ids.${i.key}`} hint={`Public: goes into the container. ${i.hint}`} />
        ))}
        {fields.secrets.map((s) => (
          <div key={s.key}>
            <TextField
              label={s.label}
              type="password"
              autoComplete="off"
              value={secrets[s.key] ?? ""}
              onChange={(e) => setSecrets({ ...secrets, [s.key]: e.target.value })}
              error={f(`secrets.${s.key}`)}
              data-field={`secrets.${s.key}`}
              placeholder={isSet(s.key) ? "•••••••• set — type to replace" : "not set"}
              hint={`${s.required ? "Required. " : ""}Secret: stays on the server, encrypted; never shown again`}
            />
            {isSet(s.key) ? (
              <label className="mt-1 inline-flex items-center gap-1.5 text-xs text-slate-600">
                <input type="checkbox" checked={clear.includes(s.key)} onChange={(e) => setClear(e.target.checked ? [...clear, s.key] : clear.filter((c) => c !== s.key))} /> Remove this secret
              </label>
            ) : null}
          </div>
        ))}
      </div>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-800">Events sent here</legend>
        {events.length === 0 ? <p className="text-sm text-slate-500">This container uses no events yet: add them on the Events tab.</p> : null}
        {events.map((e) => {
          const chosen = selected.find((s) => s.eventId === e.id);
          return (
            <div key={e.id} className="flex flex-wrap items-end gap-3">
              <label className="inline-flex w-48 items-center gap-1.5 pb-2 text-sm">
                <input type="checkbox" data-field="events" checked={!!chosen} onChange={(ev) => toggleEvent(e.id, ev.target.checked)} /> {e.name}
              </label>
              {chosen && platform !== "image_pixel" && platform !== "webhook" ? (
                <div className="w-64">
                  <TextField label={`Name at ${platform} for ${e.name}`} value={chosen.name ?? ""} onChange={(ev) => rename(e.id, ev.target.value)} data-field={`events.${selected.indexOf(chosen)}.name`} placeholder={e.platformName(platformKey) ?? e.name} hint="Blank: the tracking plan's name" />
                </div>
              ) : null}
            </div>
          );
        })}
        {f("definition.events") ? <p className="text-sm text-red-700">{f("definition.events")}</p> : null}
      </fieldset>

      <fieldset className="space-y-2">
        <legend className="text-sm font-semibold text-slate-800">Regions</legend>
        <label className="inline-flex items-center gap-1.5 text-sm">
          <input type="checkbox" checked={allRegions} onChange={(e) => setAllRegions(e.target.checked)} /> On in every region
        </label>
        {!allRegions ? (
          <div className="flex flex-wrap gap-4">
            {regions.length === 0 ? <span className="text-sm text-slate-500">The site has no regions.</span> : null}
            {regions.map((r) => (
              <label key={r} className="inline-flex items-center gap-1.5 text-sm">
                <input type="checkbox" checked={onRegions.includes(r)} onChange={(e) => setOnRegions(e.target.checked ? [...onRegions, r] : onRegions.filter((x) => x !== r))} /> {r}
              </label>
            ))}
          </div>
        ) : null}
        {f("definition.regions") ? <p className="text-sm text-red-700">{f("definition.regions")}</p> : null}
      </fieldset>

      <div className="grid grid-cols-1 gap-3 sm:grid-cols-2">
        <SelectField label="Events from staging and development" value={nonProduction} onChange={(e) => setNonProduction(e.target.value as "test" | "hold")} error={f("definition.nonProduction")}>
          <option value="test">Send as test events (test code / debug endpoint)</option>
          <option value="hold">Hold them back</option>
        </SelectField>
        {hasMode ? (
          <SelectField
            label="Who reports conversions"
            value={deliveryMode}
            onChange={(e) => setDeliveryMode(e.target.value as DeliveryMode)}
            error={f("definition.deliveryMode")}
            hint="This platform counts a tag's and a server's copy twice: the server fills in only what the tag could not send"
          >
            {Object.entries(DELIVERY_MODE_LABELS).map(([k, v]) => (
              <option key={k} value={k}>
                {v}
              </option>
            ))}
          </SelectField>
        ) : null}
        {platform === "meta" || platform === "tiktok" ? (
          <TextField label="Test event code" value={testEventCode} onChange={(e) => setTestEventCode(e.target.value)} error={f("definition.testEventCode")} placeholder="TEST12345" hint="From the platform's Test Events tool" />
        ) : null}
      </div>
    </EditorFrame>
  );
}
