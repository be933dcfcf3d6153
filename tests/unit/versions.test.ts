// Draft validation, the semantic diff (renames included) and the import/export round trip.
import { describe, expect, test } from "vitest";
import { fieldWords, validateSnapshot } from "../../lib/versions/validate";
import { idProblem, patternProblem, problemSentence } from "../../lib/schemas/field-rules";
import { PLATFORM_FIELDS } from "../../lib/schemas/config";
import { diffSnapshots } from "../../lib/versions/diff";
import { exportSnapshot, importFile, planImport } from "../../lib/config/transfer";
import { ValidationError } from "../../lib/errors";
import type { Snapshot } from "../../lib/versions/snapshot";
import { validSnapshot } from "../fixtures/snapshot";

const problemsOf = (s: Snapshot) => validateSnapshot(s).map((p) => `${p.entityType}:${p.entityName}:${p.field}`);

describe("validateSnapshot", () => {
  test("a complete draft has no problems", () => {
    expect(validateSnapshot(validSnapshot())).toEqual([]);
  });

  test("dangling references are named by entity and field", () => {
    const s = validSnapshot();
    s.events[0].triggerIds = ["t1", "gone"];
    s.events[0].mappings.value = "nope";
    s.triggers[0].blockingTriggerIds = ["t1"];
    s.triggers[0].conditions[1].key = "missing-var";
    s.destinations[0].events = [{ eventId: "ghost" }];
    s.destinations[1].regions = ["apac"];
    expect(problemsOf(s)).toEqual([
      "event:purchase:triggerIds.1",
      "event:purchase:mappings.value",
      "trigger:Purchase push:blockingTriggerIds.0",
      "trigger:Purchase push:conditions.1.key",
      "destination:Meta:events.0.eventId",
      "destination:GA4:regions.0",
    ]);
  });

  test("a name GA4 would drop is refused beside the GA4 destination, whichever level set it", () => {
    const s = validSnapshot();
    // The destination's own name breaks the pattern.
    s.destinations[1].events = [{ eventId: "e1", name: "Order Completed" }];
    expect(validateSnapshot(s)).toEqual([
      expect.objectContaining({ entityType: "destination", entityName: "GA4", field: "events.0.name", message: expect.stringMatching(/"Order Completed" is not a GA4 event name/) }),
    ]);
    // No own name: the site's override for GA4 is the name, and it is reserved.
    s.destinations[1].events = [{ eventId: "e1" }];
    s.events[0].platformNames = { ga4: "first_visit" };
    expect(validateSnapshot(s).map((p) => p.message)).toEqual([expect.stringMatching(/"first_visit" is an event name GA4 reserves/)]);
    // A reserved prefix, from the tracking plan; the destination's own name fixes it.
    s.events[0].platformNames = {};
    s.planEvents[0].platformNames = { ga4: "google_purchase" };
    expect(problemsOf(s)).toEqual(["destination:GA4:events.0.name"]);
    s.destinations[1].events = [{ eventId: "e1", name: "purchase" }];
    expect(problemsOf(s)).toEqual([]);
    // Other platforms keep their own naming (Meta's names have capitals and spaces).
    s.destinations[0].events = [{ eventId: "e1", name: "Order Completed" }];
    expect(problemsOf(s)).toEqual([]);
  });

  test("a regex that does not compile is refused with the engine's reason", () => {
    const s = validSnapshot();
    s.triggers[0].conditions[0].value = "^/checkout/(thanks";
    const [problem] = validateSnapshot(s);
    expect(problem).toMatchObject({ entityType: "trigger", field: "conditions.0.value" });
    expect(problem.message).toMatch(/^the pattern does not compile \(.*Unterminated group\)$/);
  });

  test("required parameters without a mapping are listed, unless the event is disabled", () => {
    const s = validSnapshot();
    delete s.events[0].mappings.order_id;
    delete s.events[0].mappings.currency;
    expect(problemsOf(s)).toEqual(["event:purchase:mappings.currency", "event:purchase:mappings.order_id"]);
    s.events[0].enabled = false;
    expect(validateSnapshot(s)).toEqual([]);
  });

  test("a destination without its ids, or with malformed ones, is refused", () => {
    const s = validSnapshot();
    s.destinations[0].ids = {};
    s.destinations[1].ids = { measurementId: "UA-1234" };
    expect(validateSnapshot(s).map((p) => p.message)).toEqual([
      "Pixel ID is missing (digits, from Events Manager)",
      "Measurement ID looks wrong: expected G-XXXXXXX",
    ]);
  });

  test("a cycle of lookup variables is refused", () => {
    const s = validSnapshot();
    s.variables[5] = { ...s.variables[4], id: "v6", name: "Loop", inputVariableId: "v5" };
    expect(problemsOf(s)).toContain("variable:Channel:inputVariableId");
  });

  test("a region condition must name a region of the site", () => {
    const s = validSnapshot();
    s.triggers[1].conditions.push({ source: "region", operator: "equals", value: "apac", negate: false, ignoreCase: false });
    expect(problemsOf(s)).toEqual(["trigger:Internal traffic:conditions.1.value"]);
  });

  test("a webhook without its signing secret is refused, naming the field; with it, it passes", () => {
    const s = validSnapshot();
    s.destinations.push({ id: "d3", name: "Hook", description: "", ownerId: null, platform: "webhook", ids: { url: "https://hooks.example.com/in" }, events: [{ eventId: "e1" }], regions: null, nonProduction: "hold", secretsSet: [] });
    const [problem, ...rest] = validateSnapshot(s);
    expect(rest).toEqual([]);
    expect(problem).toMatchObject({ entityType: "destination", entityId: "d3", entityName: "Hook", field: "secrets.signingSecret" });
    expect(problem.message).toBe("HMAC signing secret is required: every webhook request is signed with it (X-Tagpipe-Signature), so the receiver can refuse forgeries");
    s.destinations[2].secretsSet = ["signingSecret"];
    expect(validateSnapshot(s)).toEqual([]);
  });

  test("a Google Ads destination needs the ids the API knows: customer ID and conversion action ID, beside the tag's", () => {
    const s = validSnapshot();
    const ads = { id: "d4", name: "Ads", description: "", ownerId: null, platform: "google_ads", events: [{ eventId: "e1" }], regions: null, nonProduction: "hold", secretsSet: ["developerToken", "oauthToken"] };
    s.destinations.push({ ...ads, ids: { conversionId: "AW-123456789", conversionLabel: "AbCdEfGh12" } });
    expect(problemsOf(s)).toEqual(["destination:Ads:ids.customerId", "destination:Ads:ids.conversionActionId"]);
    s.destinations[2].ids = { conversionId: "AW-123456789", conversionLabel: "AbCdEfGh12", customerId: "AW-123456789", conversionActionId: "AbCdEfGh12" };
    expect(validateSnapshot(s).map((p) => p.message)).toEqual([
      "Customer ID looks wrong: expected the Google Ads account that owns the conversion action, 123-456-7890",
      "Conversion action ID looks wrong: expected digits: the ctId in the conversion action's URL in Google Ads",
    ]);
    s.destinations[2].ids = { conversionId: "AW-123456789", conversionLabel: "AbCdEfGh12", customerId: "123-456-7890", conversionActionId: "987654321" };
    expect(validateSnapshot(s)).toEqual([]);
  });

  test("platforms whose secrets are optional in a draft are not refused for a missing one", () => {
    const s = validSnapshot();
    s.destinations[0].secretsSet = [];
    expect(validateSnapshot(s)).toEqual([]);
  });
});

describe("diffSnapshots", () => {
  test("identical snapshots have no changes", () => {
    expect(diffSnapshots(validSnapshot(), validSnapshot())).toEqual([]);
  });

  test("a rename shows as a rename, and references follow by name", () => {
    const before = validSnapshot();
    const after = validSnapshot();
    after.triggers[0].name = "Thank-you page purchase";
    const changes = diffSnapshots(before, after);
    // The event that uses the trigger refers to it by id: it did not change.
    expect(changes).toEqual([
      {
        change: "renamed",
        entityType: "trigger",
        id: "t1",
        name: "Thank-you page purchase",
        previousName: "Purchase push",
        sentences: ["renamed from Purchase push to Thank-you page purchase"],
      },
    ]);
  });

  test("added, removed and changes in sentences", () => {
    const before = validSnapshot();
    const after = validSnapshot();
    after.destinations = after.destinations.filter((d) => d.id !== "d2");
    after.variables.push({ id: "v9", name: "Coupon", description: "", ownerId: null, kind: "data_layer", path: "ecommerce.coupon", coerce: "string", defaultValue: null });
    after.triggers[0].conditions[0].value = "^/thanks";
    after.site.regions[0].consentDefault = "granted";
    const changes = diffSnapshots(before, after);
    expect(changes.map((c) => `${c.change} ${c.entityType} ${c.name}`)).toEqual([
      "changed region eu",
      "changed trigger Purchase push",
      "added variable Coupon",
      "removed destination GA4",
    ]);
    expect(changes[0].sentences).toEqual(["consent by default: denied → granted"]);
    expect(changes[1].sentences).toEqual(["condition 1 — page path matches the pattern ^/checkout/thanks (any case) → matches the pattern ^/thanks (any case)"]);
    expect(changes[2].sentences).toContain("data layer path set to ecommerce.coupon");
    expect(changes[3].sentences).toEqual([]);
  });

  test("against nothing (before the first publish) everything is added", () => {
    const changes = diffSnapshots(null, validSnapshot());
    expect(changes.every((c) => c.change === "added")).toBe(true);
    expect(changes).toHaveLength(1 + 2 + 1 + 1 + 2 + 6 + 2);
  });
});

describe("export and import", () => {
  const emptyDraft = (): Snapshot => ({ ...validSnapshot(), planEvents: [], events: [], triggers: [], variables: [], destinations: [] });

  /** Builds the snapshot an import plan would produce, to compare with the original. */
  function applied(plan: ReturnType<typeof planImport>, base: Snapshot, plans: Snapshot["planEvents"]): Snapshot {
    return {
      ...base,
      planEvents: plans,
      events: plan.events.map((e) => ({ id: e.id, name: plans.find((p) => p.id === e.planEventId)!.name, description: e.description, ownerId: null, planEventId: e.planEventId, ...e.definition })),
      triggers: plan.triggers.map((t) => ({ id: t.id, name: t.name, description: t.description, ownerId: null, ...t.definition })),
      variables: plan.variables.map((v) => ({ id: v.id, name: v.name, description: v.description, ownerId: null, ...v.definition })),
      destinations: plan.destinations.map((d) => ({ id: d.id, name: d.name, description: d.description, ownerId: null, ...d.definition, secretsSet: [] })),
    } as Snapshot;
  }

  test("the file refers by name and carries no secrets", () => {
    const file = exportSnapshot(validSnapshot());
    expect(file).toMatchObject({ format: "tagpipe.container", formatVersion: 1 });
    expect(file.events[0]).toMatchObject({ event: "purchase", triggers: ["Purchase push"], mappings: { value: "DL value", "user_data.email": "Email" } });
    expect(file.triggers[0]).toMatchObject({ blockingTriggers: ["Internal traffic"] });
    expect(JSON.stringify(file)).not.toMatch(/secretsSet|accessToken|"t1"|"v1"/);
  });

  test("re-importing an export over the same draft changes nothing", () => {
    const original = validSnapshot();
    const file = importFile.parse(JSON.parse(JSON.stringify(exportSnapshot(original))));
    const plan = planImport(file, original, original.planEvents);
    expect(plan.planEventsToCreate).toEqual([]);
    const after = applied(plan, original, original.planEvents);
    // Secrets do not travel in the file: "… cleared" is all a destination may show.
    const changes = diffSnapshots(original, after).filter((c) => c.entityType !== "destination" || c.sentences.some((s) => !s.endsWith(" cleared")));
    expect(changes).toEqual([]);
  });

  test("importing into an empty container of another team recreates the same draft", () => {
    const original = validSnapshot();
    const file = importFile.parse(JSON.parse(JSON.stringify(exportSnapshot(original))));
    let n = 0;
    const plan = planImport(file, emptyDraft(), [], () => `new${++n}`);
    expect(plan.planEventsToCreate.map((p) => p.name)).toEqual(["purchase"]);
    const plans = plan.planEventsToCreate.map((p) => ({ id: p.id, name: p.name, parameters: p.parameters, platformNames: p.platformNames as Record<string, string> }));
    const copy = applied(plan, emptyDraft(), plans);
    expect(validateSnapshot(copy)).toEqual([]);
    expect(exportSnapshot(copy)).toEqual({ ...exportSnapshot(original), exportedAt: expect.any(String) });
  });

  test("built-in variables travel as their reference, in mappings and conditions", () => {
    const original = validSnapshot();
    original.events[0].mappings = { ...original.events[0].mappings, value: "builtin:ecommerce_value" };
    original.triggers[0].conditions.push({ source: "variable", key: "builtin:page_title", operator: "contains", value: "Thanks", negate: false, ignoreCase: false });
    const file = importFile.parse(JSON.parse(JSON.stringify(exportSnapshot(original))));
    expect(file.events[0].mappings).toMatchObject({ value: "builtin:ecommerce_value" });
    const after = applied(planImport(file, original, original.planEvents), original, original.planEvents);
    expect(after.events[0].mappings.value).toBe("builtin:ecommerce_value");
    expect(after.triggers[0].conditions.at(-1)).toMatchObject({ key: "builtin:page_title" });
    // An unknown built-in is refused at its place in the file.
    (file.events[0].mappings as Record<string, string>).value = "builtin:nope";
    expect(() => planImport(file, original, original.planEvents)).toThrow(ValidationError);
  });

  test("broken files are refused with every problem and its place", () => {
    const file = importFile.parse({
      format: "tagpipe.container",
      formatVersion: 1,
      triggers: [{ name: "Buy click", type: "click" }, { name: "Buy click", type: "page_view" }],
      variables: [{ name: "X", kind: "lookup", inputVariable: "Nope", entries: [] }],
      events: [{ event: "refund", triggers: ["Missing"] }],
    });
    let error: unknown;
    try {
      planImport(file, emptyDraft(), []);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).fields.map((f) => f.path)).toEqual([
      "triggers.1.name",
      "variables.0.inputVariable",
      "triggers.0.selector",
      "events.0.event",
      "events.0.triggers.0",
    ]);
  });

  test("a file of another format or version is refused by its header", () => {
    expect(importFile.safeParse({ format: "gtm", formatVersion: 1 }).success).toBe(false);
    const result = importFile.safeParse({ format: "tagpipe.container", formatVersion: 2 });
    expect(result.success).toBe(false);
    expect(result.error?.issues[0].message).toMatch(/must be 1/);
  });
});

describe("problems in the form's words", () => {
  test.each([
    ["trigger", "conditions.1.value", "Condition 2 value"],
    ["trigger", "conditions.0.key", "Condition 1 variable or path"],
    ["trigger", "blockingTriggerIds.0", "Blocking trigger 1"],
    ["event", "mappings.value", "Parameter value"],
    ["event", "mappings.user_data.email", "User data email"],
    ["event", "triggerIds.1", 'Trigger 2 of "Fired by"'],
    ["variable", "inputVariableId", "Input variable"],
    ["destination", "regions.0", "Region 1"],
  ] as const)("%s %s reads %s", (entityType, field, words) => {
    expect(fieldWords(entityType, field)).toBe(words);
  });

  test("each problem of a broken draft is one sentence naming the field as the form does, never its path", () => {
    const s = validSnapshot();
    s.triggers[0].conditions[1] = { ...s.triggers[0].conditions[1], operator: "regex", value: "(" };
    delete s.events[0].mappings.currency;
    s.destinations[0].ids = { pixelId: "pixel-abc" };
    s.destinations[0].events = [{ eventId: "e1" }, { eventId: "gone" }];
    const sentences = validateSnapshot(s).map((p) => `${p.entityType} ${p.entityName}: ${problemSentence(p)}`);
    expect(sentences).toEqual([
      "event purchase: Parameter currency is required by the tracking plan but not mapped to a variable",
      "trigger Purchase push: Condition 2 value — the pattern does not compile (/(/: Unterminated group)",
      "destination Meta: Pixel ID looks wrong: expected digits, from Events Manager",
      "destination Meta: Event 2 refers to an event that is not in this container",
    ]);
    for (const sentence of sentences) expect(sentence).not.toMatch(/\b(conditions|mappings|ids|events)\.\w/);
  });

  test("a platform id is checked as the form types it: empty is not flagged until a version needs it", () => {
    const pixel = PLATFORM_FIELDS.meta.ids.find((f) => f.key === "pixelId")!;
    expect(idProblem(pixel, "pixel-abc", false)).toBe("Pixel ID looks wrong: expected digits, from Events Manager");
    expect(idProblem(pixel, "", false)).toBeNull();
    expect(idProblem(pixel, "", true)).toBe("Pixel ID is missing (digits, from Events Manager)");
    expect(idProblem(pixel, "123456789012345", true)).toBeNull();
    expect(patternProblem({ operator: "regex", value: "^/checkout/(thanks" })).toMatch(/^the pattern does not compile/);
    expect(patternProblem({ operator: "equals", value: "(" })).toBeNull();
  });
});
