// What Tagpipe knows about an ad platform, in one place per platform
// (lib/platforms/<platform>/index.ts), registered in lib/platforms/registry.ts. Pure data
// and pure functions: the dashboard's client components read it too. The platform's
// server adapter (server.ts, Node only) and its browser vendor code (browser.ts, bundled
// into containers) live in the same folder and are registered in their own typed tables,
// keyed the same way (lib/platforms/adapters.ts, runtime/vendors.ts), so each bundle
// carries only its side, and a platform missing a side does not compile.

/** A public id: it goes into the container script. */
/** `optional`: a version may leave it empty. */
export type IdField = { key: string; label: string; pattern?: RegExp; hint: string; optional?: true };

/** A write-only secret: encrypted at rest, never in a script, a log or an answer. `required`: a version refuses the destination without it, and why. */
export type SecretField = { key: string; label: string; required?: string };

/**
 * How a platform tells a browser copy and a server copy of one conversion apart:
 *   event_id    it merges the two by event_id (both are sent)
 *   fill_in     it cannot (GA4, Google Ads): a delivery mode decides who reports (delivery-mode.ts)
 *   server_only there is no browser side (a webhook)
 *   browser_only there is no server side (an image pixel)
 */
export type Dedup = "event_id" | "fill_in" | "server_only" | "browser_only";

/**
 * How events of non-production environments stay out of production numbers:
 *   test_event_code  with the destination's test code (without one they are held)
 *   validation       at the platform's validation endpoint (GA4's /debug/mp/collect)
 *   test_flag        with the platform's own test switch (Pinterest's ?test=true)
 *   none             held back
 */
export type TestMode = "test_event_code" | "validation" | "test_flag" | "none";

/** The standard events of the tracking plan's presets (lib/config/presets.ts). */
export type PresetName =
  | "purchase"
  | "add_to_cart"
  | "begin_checkout"
  | "add_payment_info"
  | "view_item"
  | "search"
  | "sign_up"
  | "lead"
  | "subscribe"
  | "start_trial"
  | "contact"
  | "page_view";

export type PlatformDefinition = {
  /** The destination's kind in the dashboard. */
  label: string;
  /** The platform's own name, in the tracking plan and in messages. */
  name: string;
  ids: IdField[];
  secrets: SecretField[];
  /** "ads": only with the visitor's ad_storage consent; "none": the site's own systems. */
  consent: "ads" | "none";
  testMode: TestMode;
  dedup: Dedup;
  /** fill_in platforms: how the browser names a destination when its tag ran, and whether a reported conversion still gets a server call (an enhancement). */
  fillIn?: { ref: (ids: Record<string, string>) => string; enhancesBrowserCopy: boolean };
  /** The browser side: the id the tag takes, and the one it adds (Google Ads' label). null: no tag. */
  tag: { idKey: string; extraKey?: string } | null;
  /**
   * Event names at this platform: the presets' (absent: the plan's own name is sent),
   * and the rule a name must follow (the tracking plan's field). null: the platform takes
   * no event names (image pixels and webhooks get the plan's).
   */
  names: { presets: Partial<Record<PresetName, string>>; max: number; pattern?: RegExp; patternHint?: string; problem?: (name: string) => string | null } | null;
  /** It takes the visitor's consent choices (ad_user_data, ad_personalization) with each event (Google Ads). */
  consentFields?: true;
  /** The environment variable of its API's base URL (tests point it at a stand-in), and its default. */
  baseUrl?: { env: string; fallback: string };
};
