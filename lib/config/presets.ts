// The standard conversion events and their names at each platform (Meta's standard
// events, TikTok's Events API events, GA4's recommended events), with the parameters
// each one needs.
import type { PlanEventCreate } from "../schemas/config";

type Preset = Omit<PlanEventCreate, "ownerId">;

const value = [
  { name: "value", type: "number", required: true },
  { name: "currency", type: "string", required: true },
] as const;

export const PRESETS: Preset[] = [
  {
    name: "purchase",
    description: "An order is completed (thank-you page).",
    parameters: [...value, { name: "order_id", type: "string", required: true }, { name: "content_ids", type: "list", required: true }, { name: "contents", type: "list", required: false }, { name: "num_items", type: "number", required: false }],
    platformNames: { meta: "Purchase", tiktok: "CompletePayment", ga4: "purchase", google_ads: "purchase" },
  },
  {
    name: "add_to_cart",
    description: "A product is added to the cart.",
    parameters: [...value, { name: "content_ids", type: "list", required: true }, { name: "contents", type: "list", required: false }],
    platformNames: { meta: "AddToCart", tiktok: "AddToCart", ga4: "add_to_cart" },
  },
  {
    name: "begin_checkout",
    description: "Checkout starts.",
    parameters: [...value, { name: "content_ids", type: "list", required: false }, { name: "num_items", type: "number", required: false }],
    platformNames: { meta: "InitiateCheckout", tiktok: "InitiateCheckout", ga4: "begin_checkout" },
  },
  {
    name: "add_payment_info",
    description: "Payment details are entered.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
    platformNames: { meta: "AddPaymentInfo", tiktok: "AddPaymentInfo", ga4: "add_payment_info" },
  },
  {
    name: "view_item",
    description: "A product page is viewed.",
    parameters: [{ name: "content_ids", type: "list", required: true }, { name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
    platformNames: { meta: "ViewContent", tiktok: "ViewContent", ga4: "view_item" },
  },
  {
    name: "search",
    description: "A site search is made.",
    parameters: [{ name: "search_string", type: "string", required: true }],
    platformNames: { meta: "Search", tiktok: "Search", ga4: "search" },
  },
  {
    name: "sign_up",
    description: "An account is created.",
    parameters: [],
    platformNames: { meta: "CompleteRegistration", tiktok: "CompleteRegistration", ga4: "sign_up" },
  },
  {
    name: "lead",
    description: "A lead form is submitted.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
    platformNames: { meta: "Lead", tiktok: "SubmitForm", ga4: "generate_lead" },
  },
  {
    name: "subscribe",
    description: "A paid subscription starts.",
    parameters: [...value],
    platformNames: { meta: "Subscribe", tiktok: "Subscribe", ga4: "subscribe" },
  },
  {
    name: "start_trial",
    description: "A free trial starts.",
    parameters: [{ name: "value", type: "number", required: false }, { name: "currency", type: "string", required: false }],
    platformNames: { meta: "StartTrial", ga4: "start_trial" },
  },
  {
    name: "contact",
    description: "The visitor contacts the business.",
    parameters: [],
    platformNames: { meta: "Contact", tiktok: "Contact", ga4: "contact" },
  },
  {
    name: "page_view",
    description: "A page is viewed.",
    parameters: [],
    // TikTok counts page views with ttq.page(), not a named event.
    platformNames: { meta: "PageView", ga4: "page_view" },
  },
];

export function presetByName(name: string): Preset | undefined {
  return PRESETS.find((p) => p.name === name);
}
