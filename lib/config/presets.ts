// The standard conversion events and their names at each platform (Meta's standard
// events, TikTok's Events API events, GA4's recommended events), with the parameters
// each one needs.
import type { PlanEventCreate } from "../schemas/config";
import { NAMED_PLATFORMS, PLATFORMS } from "../platforms/registry";
import type { PresetName } from "../platforms/types";

type Preset = Omit<PlanEventCreate, "ownerId">;

/** A preset's name at each platform, as each platform's folder lists it (lib/platforms). */
function namesOf(preset: PresetName): Preset["platformNames"] {
  return Object.fromEntries(NAMED_PLATFORMS.flatMap((k) => (PLATFORMS[k].names?.presets[preset] ? [[k, PLATFORMS[k].names!.presets[preset]]] : [])));
}

const value = [
  { name: "value", type: "number", required: true },
  { name: "currency", type: "string", required: true },
] as const;

const DEFINITIONS: (Omit<Preset, "platformNames" | "name"> & { name: PresetName })[] = [
  {
    name: "purchase",
    description: "An order is completed (thank-you page).",
    parameters: [...value, { name: "order_id", type: "string", required: true }, { name: "content_ids", type: "list", required: true }, { name: "contents", type: "list", required: false }, { name: "num_items", type: "number", required: false }],
  },
  {
    name: "add_to_cart",
    description: "A product is added to the cart.",
    parameters: [...value, { name: "content_ids", type: "list", required: true }, { name: "contents", type: "list", required: false }],
  },
  {
    name: "begin_checkout",
    description: "Checkout starts.",
    parameters: [...value, { name: "content_ids", type: "list", required: false }, { name: "num_items", type: "number", required: false }],
  },
  {
    name: "add_payment_info",
    description: "Payment details are entered.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
  },
  {
    name: "view_item",
    description: "A product page is viewed.",
    parameters: [{ name: "content_ids", type: "list", required: true }, { name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
  },
  {
    name: "search",
    description: "A site search is made.",
    parameters: [{ name: "search_string", type: "string", required: true }],
  },
  {
    name: "sign_up",
    description: "An account is created.",
    parameters: [],
  },
  {
    name: "lead",
    description: "A lead form is submitted.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
  },
  {
    name: "subscribe",
    description: "A paid subscription starts.",
    parameters: [...value],
  },
  {
    name: "start_trial",
    description: "A free trial starts.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
  },
  {
    name: "contact",
    description: "The visitor contacts the business.",
    parameters: [],
  },
  {
    name: "page_view",
    description: "A page is viewed.",
    parameters: [],
  },
];

export const PRESETS: Preset[] = DEFINITIONS.map((d) => ({ ...d, platformNames: namesOf(d.name) }));

export function presetByName(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
