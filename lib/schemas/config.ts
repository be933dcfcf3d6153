// Schemas of what a marketer configures: the tracking plan's events and a container's
// draft (events in use, triggers, variables, destinations). The same schemas validate
// the API, the import format and the snapshot a version freezes.
import { z } from "zod";
import { id } from "./common";
import { NAMED_PLATFORMS, PLATFORM_KEYS, PLATFORMS as PLATFORM_REGISTRY, type PlatformKey } from "../platforms/registry";
import type { IdField, SecretField } from "../platforms/types";
import { builtinRefProblem } from "../config/builtins";
import { idProblem, patternProblem } from "./field-rules";

/** The platforms whose events have names of their own (lib/platforms/registry.ts): the tracking plan's platform names. */
export const PLATFORMS = NAMED_PLATFORMS;
export const platformNames = z
  .strictObject(
    Object.fromEntries(
      NAMED_PLATFORMS.map((key) => {
        const rule = PLATFORM_REGISTRY[key].names!;
        const name = z.string().trim().max(rule.max);
        return [key, (rule.pattern ? name.regex(rule.pattern, rule.patternHint ?? "is not a name this platform takes") : name).optional()];
      }),
    ) as Record<(typeof NAMED_PLATFORMS)[number], z.ZodOptional<z.ZodString>>,
  )
  .meta({ description: "The event's name at each platform" });

// Note: zod fills an inner .default() even under .optional(), so update schemas use the
// *Field variants (no default) and only create schemas apply defaults.
const descriptionField = z.string().trim().max(500, "must be at most 500 characters");
const description = descriptionField.default("");
const ownerId = id.nullable().default(null).meta({ description: "User id of the member to ask about it" });
const revision = z.number().int().min(1).meta({ description: "The revision your edit is based on (stale edits get 409)" });

// ---- tracking plan -----------------------------------------------------------------

export const PARAMETER_TYPES = ["number", "string", "list", "boolean", "object"] as const;
export const parameterName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be snake_case: lower-case letters, digits and _");

export const planParameter = z.strictObject({
  name: parameterName,
  type: z.enum(PARAMETER_TYPES),
  required: z.boolean().default(false),
});

const planParametersField = z
  .array(planParameter)
  .max(50)
  .superRefine((params, ctx) => {
    const seen = new Set<string>();
    params.forEach((p, i) => {
      if (seen.has(p.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${p.name} is listed twice` });
      seen.add(p.name);
    });
  });

export const eventName = z
  .string()
  .trim()
  .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be snake_case, e.g. purchase or add_to_cart");

export const planEventCreate = z
  .strictObject({ name: eventName, description, ownerId, parameters: planParametersField.default([]), platformNames: platformNames.default({}) })
  .meta({ id: "PlanEventCreate" });
export const planEventUpdate = z
  .strictObject({
    revision,
    name: eventName.optional(),
    description: descriptionField.optional(),
    ownerId: id.nullable().optional(),
    parameters: planParametersField.optional(),
    platformNames: platformNames.optional(),
  })
  .meta({ id: "PlanEventUpdate" });
export type PlanEventCreate = z.infer<typeof planEventCreate>;
export type PlanParameter = z.infer<typeof planParameter>;

// ---- container events (a plan event in use) ------------------------------------------

/** Parameters every conversion may map, beyond the plan's own. */
export const STANDARD_PARAMETERS = ["value", "currency", "content_ids", "contents", "content_type", "order_id", "num_items", "search_string"] as const;
/** The identifiers a marketer may map: the collector's user_data fields it hashes (a unit test holds the two together). */
export const USER_DATA_FIELDS = ["email", "phone", "first_name", "last_name", "city", "state", "zip", "country", "date_of_birth", "gender", "external_id"] as const;

const triggerIdsField = z.array(id).max(20);

/** A variable's id, or a built-in variable's reference (builtin:page_url, lib/config/builtins.ts). */
export const variableRef = id.meta({ description: "A variable's id, or a built-in variable: builtin:<key> (e.g. builtin:ecommerce_value)" });

/** parameter or user_data.<field> → variable id or builtin:<key> */
const mappingsField = z
  .record(z.string().regex(/^(user_data\.)?[a-z][a-z0-9_]{0,39}$/, "must be a parameter name or user_data.<field>"), variableRef)
  .superRefine((mappings, ctx) => {
    for (const [target, ref] of Object.entries(mappings)) {
      const problem = builtinRefProblem(ref, target);
      if (problem) ctx.addIssue({ code: "custom", path: [target], message: problem });
    }
  });

export const containerEventDefinition = z.strictObject({
  triggerIds: triggerIdsField.default([]),
  mappings: mappingsField.default({}),
  platformNames: platformNames.default({}).meta({ description: "Overrides of the plan's platform names for this site" }),
  enabled: z.boolean().default(true),
});
export const containerEventCreate = z
  .strictObject({ planEventId: id, description, ownerId, ...containerEventDefinition.shape })
  .meta({ id: "ContainerEventCreate" });
export const containerEventUpdate = z
  .strictObject({
    revision,
    description: descriptionField.optional(),
    ownerId: id.nullable().optional(),
    triggerIds: triggerIdsField.optional(),
    mappings: mappingsField.optional(),
    platformNames: platformNames.optional(),
    enabled: z.boolean().optional(),
  })
  .meta({ id: "ContainerEventUpdate" });
export type ContainerEventDefinition = z.infer<typeof containerEventDefinition>;

// ---- triggers ------------------------------------------------------------------------

export const TRIGGER_TYPES = ["data_layer_event", "page_view", "history_change", "click", "form_submit"] as const;
export const OPERATORS = ["equals", "contains", "starts_with", "ends_with", "regex", "lt", "lte", "gt", "gte"] as const;
export const CONDITION_SOURCES = ["page_url", "page_path", "hostname", "data_layer", "variable", "region"] as const;

export const condition = z
  .strictObject({
    source: z.enum(CONDITION_SOURCES),
    /** data_layer: a path such as ecommerce.value; variable: a variable id or builtin:<key>. */
    key: z.string().trim().max(200).optional(),
    operator: z.enum(OPERATORS),
    value: z.string().max(1000),
    negate: z.boolean().default(false),
    ignoreCase: z.boolean().default(false),
  })
  .superRefine((c, ctx) => {
    if ((c.source === "data_layer" || c.source === "variable") && !c.key) {
      ctx.addIssue({ code: "custom", path: ["key"], message: c.source === "variable" ? "choose a variable" : "give a data layer path such as ecommerce.value" });
    }
    const builtin = c.source === "variable" && c.key ? builtinRefProblem(c.key) : null;
    if (builtin) ctx.addIssue({ code: "custom", path: ["key"], message: builtin });
    if (["lt", "lte", "gt", "gte"].includes(c.operator) && !Number.isFinite(Number(c.value))) {
      ctx.addIssue({ code: "custom", path: ["value"], message: "must be a number for <, <=, > and >=" });
    }
  });
export type Condition = z.infer<typeof condition>;

export const FIRE_LIMITS = ["every_time", "once_per_page", "once_per_event_id"] as const;

/** The shape alone: what a stored definition reads as, even one saved before a rule existed (the tracking plan page). */
export const triggerFields = z.strictObject({
    type: z.enum(TRIGGER_TYPES),
    /** data_layer_event: the `event` value pushed, e.g. purchase. */
    eventName: z.string().trim().max(100).optional(),
    /** click and form_submit: a CSS selector. */
    selector: z.string().trim().max(500).optional(),
    conditions: z.array(condition).max(20).default([]),
    fireLimit: z.enum(FIRE_LIMITS).default("every_time"),
    blockingTriggerIds: z.array(id).max(10).default([]),
  });
export const triggerDefinition = triggerFields.superRefine((t, ctx) => {
    if (t.type === "data_layer_event" && !t.eventName) {
      ctx.addIssue({ code: "custom", path: ["eventName"], message: "give the data layer event name, e.g. purchase" });
    }
    if ((t.type === "click" || t.type === "form_submit") && !t.selector) {
      ctx.addIssue({ code: "custom", path: ["selector"], message: "give a CSS selector, e.g. button.buy" });
    }
    // The editor says it as you type; a draft that would only fail at the next version is refused here.
    t.conditions.forEach((c, i) => {
      const problem = patternProblem(c);
      if (problem) ctx.addIssue({ code: "custom", path: ["conditions", i, "value"], message: problem, params: { where: `Condition ${i + 1} value` } });
    });
  });
export type TriggerDefinition = z.infer<typeof triggerDefinition>;

// ---- variables -----------------------------------------------------------------------

export const VARIABLE_KINDS = ["data_layer", "url_query", "cookie", "dom", "constant", "lookup"] as const;
export const COERCIONS = ["auto", "string", "number", "list"] as const;

export const variableDefinition = z
  .strictObject({
    kind: z.enum(VARIABLE_KINDS),
    /** data_layer: ecommerce.value, ecommerce.items[].item_id */
    path: z.string().trim().max(200).regex(/^[A-Za-z_$][\w$]*(\[\])?(\.[A-Za-z_$][\w$]*(\[\])?)*$/, "must be a path such as ecommerce.items[].item_id").optional(),
    /** url_query: the parameter's name; cookie: the cookie's name. (Not `name`: that is
     *  the variable's own name, and snapshots put both on one object.) */
    key: z.string().trim().max(100).optional(),
    /** dom: a CSS selector; attribute null reads the text */
    selector: z.string().trim().max(500).optional(),
    attribute: z.string().trim().max(100).nullable().optional(),
    /** constant */
    value: z.string().max(1000).optional(),
    /** lookup: the input variable's id and its table */
    inputVariableId: id.optional(),
    entries: z.array(z.strictObject({ key: z.string().max(200), value: z.string().max(1000) })).max(200).optional(),
    coerce: z.enum(COERCIONS).default("auto"),
    defaultValue: z.string().max(1000).nullable().default(null),
  })
  .superRefine((v, ctx) => {
    const need = (field: keyof typeof v, message: string) => {
      if (v[field] === undefined || v[field] === "") ctx.addIssue({ code: "custom", path: [field], message });
    };
    if (v.kind === "data_layer") need("path", "give a data layer path, e.g. ecommerce.value");
    if (v.kind === "url_query") need("key", "give the query parameter's name, e.g. utm_source");
    if (v.kind === "cookie") need("key", "give the cookie's name, e.g. _fbp");
    if (v.kind === "dom") need("selector", "give a CSS selector, e.g. #order-total");
    if (v.kind === "constant") need("value", "give the constant's value");
    if (v.kind === "lookup") {
      need("inputVariableId", "choose the variable to look up");
      need("entries", "give at least one row");
    }
  });
export type VariableDefinition = z.infer<typeof variableDefinition>;

// ---- destinations --------------------------------------------------------------------

/** Who reports a conversion to a platform that cannot merge two copies (GA4, Google Ads). */
export const DELIVERY_MODES = ["browser", "server", "browser_fill_in"] as const;
export type DeliveryMode = (typeof DELIVERY_MODES)[number];

export const DESTINATION_PLATFORMS = PLATFORM_KEYS;
export type DestinationPlatform = PlatformKey;

/**
 * Public ids each platform needs (they reach the browser) and its secret fields (they
 * never do), as each platform's folder declares them. A `required` secret must be set
 * before a version may include the destination.
 */
export const PLATFORM_FIELDS: Record<DestinationPlatform, { ids: IdField[]; secrets: SecretField[] }> = Object.fromEntries(
  PLATFORM_KEYS.map((k) => [k, { ids: PLATFORM_REGISTRY[k].ids, secrets: PLATFORM_REGISTRY[k].secrets }]),
) as Record<DestinationPlatform, { ids: IdField[]; secrets: SecretField[] }>;

/** The shape alone: what a stored definition reads as, even one saved before a rule existed (the tracking plan page). */
export const destinationFields = z.strictObject({
  platform: z.enum(DESTINATION_PLATFORMS),
  /** The platform's public ids (see PLATFORM_FIELDS); may be incomplete in a draft. */
  ids: z.record(z.string().max(100), z.string().trim().max(2000)).default({}),
  /** Which container events go here, each optionally under another name. */
  events: z.array(z.strictObject({ eventId: id, name: z.string().trim().max(100).optional() })).max(100).default([]),
  /** Region codes where this destination is on; null: everywhere. */
  regions: z.array(z.string().max(32)).max(50).nullable().default(null),
  /** Meta/TikTok test_event_code used for non-production environments. */
  testEventCode: z.string().trim().max(100).optional(),
  /** Non-production events: sent with the test code / debug endpoint, or held back. */
  nonProduction: z.enum(["test", "hold"]).default("test"),
  /**
   * GA4 and Google Ads (platforms that do not merge a browser and a server copy by
   * event_id): who reports a conversion. Absent: browser_fill_in.
   */
  deliveryMode: z
    .enum(DELIVERY_MODES)
    .optional()
    .meta({ description: "GA4 and Google Ads: browser (the tag only), server (the API only), or browser_fill_in (the tag, and the API only for conversions whose tag did not fire; the default)" }),
});
export const destinationDefinition = destinationFields.superRefine((d, ctx) => {
  // A public id in the platform's format, or empty (a draft may be incomplete; the version asks for it).
  for (const field of PLATFORM_REGISTRY[d.platform].ids) {
    const problem = idProblem(field, d.ids[field.key], false);
    if (problem) ctx.addIssue({ code: "custom", path: ["ids", field.key], message: problem, params: { where: field.label } });
  }
});
export type DestinationDefinition = z.infer<typeof destinationDefinition>;

/** Secret fields are write-only: a string sets it, null clears it, absent keeps it. */
const destinationSecretsField = z.record(z.string().max(100), z.string().max(4000).nullable());
export const destinationSecrets = destinationSecretsField.default({});

// ---- the generic draft entity (trigger, variable, destination) --------------------------

export const entityName = z.string().trim().min(1, "is required").max(100, "must be at most 100 characters");

export const triggerCreate = z.strictObject({ name: entityName, description, ownerId, definition: triggerDefinition }).meta({ id: "TriggerCreate" });
export const variableCreate = z.strictObject({ name: entityName, description, ownerId, definition: variableDefinition }).meta({ id: "VariableCreate" });
export const destinationCreate = z
  .strictObject({ name: entityName, description, ownerId, definition: destinationDefinition, secrets: destinationSecrets })
  .meta({ id: "DestinationCreate" });

const updateOf = <D extends z.ZodType>(definition: D) =>
  z.strictObject({
    revision,
    name: entityName.optional(),
    description: descriptionField.optional(),
    ownerId: id.nullable().optional(),
    definition: definition.optional(),
  });
export const triggerUpdate = updateOf(triggerDefinition).meta({ id: "TriggerUpdate" });
export const variableUpdate = updateOf(variableDefinition).meta({ id: "VariableUpdate" });
export const destinationUpdate = updateOf(destinationDefinition).extend({ secrets: destinationSecretsField.optional() }).meta({ id: "DestinationUpdate" });

// ---- versions ------------------------------------------------------------------------

export const versionCreate = z.strictObject({ note: z.string().trim().max(500).default("") }).meta({ id: "VersionCreate" });
export const publishRequest = z
  .strictObject({ environmentId: id, note: z.string().trim().max(500).default("") })
  .meta({ id: "PublishRequest" });

/** Where production needs approval: ask for a version to be published there. */
export const publishRequestCreate = z
  .strictObject({ versionId: id, environmentId: id, note: z.string().trim().max(500, "must be at most 500 characters").default("") })
  .meta({ id: "PublishRequestCreate" });
/** Approve or reject a publish request; a rejection needs a comment. */
export const publishDecision = z.strictObject({ comment: z.string().trim().max(500, "must be at most 500 characters").default("") }).meta({ id: "PublishDecision" });
