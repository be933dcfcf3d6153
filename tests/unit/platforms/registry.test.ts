// The platform registry (lib/platforms): every platform has every piece. The three
// tables — definitions (registry.ts), server adapters (adapters.ts), tags
// (runtime/vendors.ts) — are typed by the same keys, so a platform missing from one does
// not compile; this test checks what the types cannot: that the pieces agree.
import fs from "node:fs";
import { describe, expect, test } from "vitest";
import { FEATURES } from "../../../lib/compiler/features";
import { Platform } from "../../../lib/compiler/runtime-config";
import { ADAPTERS } from "../../../lib/platforms/adapters";
import { PLATFORM_KEYS, PLATFORMS } from "../../../lib/platforms/registry";
import { PRESETS } from "../../../lib/config/presets";
import { platformNames } from "../../../lib/schemas/config";

const vendors = fs.readFileSync(new URL("../../../runtime/vendors.ts", import.meta.url), "utf8");
const switches = fs.readFileSync(new URL("../../../runtime/features.ts", import.meta.url), "utf8");
const settingsDoc = fs.readFileSync(new URL("../../../docs/configuration.md", import.meta.url), "utf8");
const standIns = fs.readFileSync(new URL("../../helpers/stand-ins.ts", import.meta.url), "utf8");

describe.each(PLATFORM_KEYS)("%s", (key) => {
  const p = PLATFORMS[key];
  const adapter = ADAPTERS[key];

  test("a server side when it has one, speaking for this platform, within documented limits", () => {
    if (p.dedup === "browser_only") return expect(adapter).toBeNull();
    expect(adapter, "an adapter in lib/platforms/adapters.ts").not.toBeNull();
    expect(adapter!.platform).toBe(key);
    expect(adapter!.maxBatch).toBeGreaterThan(0);
    if (p.consent === "ads") expect(adapter!.maxAgeMs, "the platform's documented age limit").toBeGreaterThan(0);
  });

  test("a tag when it has a browser side: its code, its feature switch and its line in runtime/vendors.ts", () => {
    if (p.dedup === "server_only") return expect(p.tag).toBeNull();
    expect(p.tag, "tag: the id the browser tag takes").not.toBeNull();
    expect(p.ids.map((i) => i.key)).toContain(p.tag!.idKey);
    expect(typeof (Platform as unknown as Record<string, number>)[key], `Platform.${key} in runtime-config.ts`).toBe("number");
    const feature = key.toUpperCase();
    expect(FEATURES).toContain(feature);
    expect(switches).toContain(`const TAGPIPE_${feature}: boolean`);
    expect(vendors).toMatch(new RegExp(`\\[Platform\\.${key}\\]: TAGPIPE_${feature} && fire\\w+`));
  });

  test("its deduplication is explicit: fill-in platforms say how the browser names them", () => {
    expect(["event_id", "fill_in", "server_only", "browser_only"]).toContain(p.dedup);
    if (p.dedup === "fill_in") expect(p.fillIn).toBeDefined();
    else expect(p.fillIn).toBeUndefined();
  });

  test("its preset names are names it takes, and the plan's field accepts them", () => {
    if (!p.names) return;
    for (const [preset, name] of Object.entries(p.names.presets)) {
      expect(p.names.problem?.(name!) ?? null, `${preset} → ${name}`).toBeNull();
      expect(platformNames.safeParse({ [key]: name }).success, `${preset} → ${name}`).toBe(true);
      expect(PRESETS.find((x) => x.name === preset)?.platformNames[key as keyof typeof platformNames.shape]).toBe(name);
    }
  });

  test("its API base URL is configurable, documented, and pointed at a stand-in in the tests", () => {
    if (!adapter || key === "webhook") return;
    expect(p.baseUrl, "baseUrl: { env, fallback }").toBeDefined();
    expect(settingsDoc, "documented in docs/configuration.md").toContain(p.baseUrl!.env);
    expect(standIns).toContain(p.baseUrl!.env);
  });
});
