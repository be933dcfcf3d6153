// Per-container switches. Each container's runtime is bundled with esbuild `define`
// setting every TAGPIPE_<feature> below to true or false for what its configuration uses
// (lib/compiler/features.ts), so esbuild drops the code behind the switches that are off:
// a container without TikTok destinations carries no TikTok code. The generic runtime
// (runtime_gzip_bytes in bench:container) and the unit tests (vitest.config.ts) have every
// switch on.
declare global {
  // Destination platforms.
  const TAGPIPE_META: boolean;
  const TAGPIPE_TIKTOK: boolean;
  const TAGPIPE_GA4: boolean;
  const TAGPIPE_GOOGLE_ADS: boolean;
  const TAGPIPE_IMAGE_PIXEL: boolean;
  const TAGPIPE_PINTEREST: boolean;
  const TAGPIPE_SNAPCHAT: boolean;
  /** Meta destinations with events that are custom there (trackSingleCustom) */
  const TAGPIPE_META_CUSTOM: boolean;
  // Variable kinds (data_layer is always in).
  const TAGPIPE_URL_QUERY: boolean;
  const TAGPIPE_COOKIE: boolean;
  const TAGPIPE_DOM: boolean;
  const TAGPIPE_CONSTANT: boolean;
  const TAGPIPE_LOOKUP: boolean;
  /** Built-in variables of the page (location, document) and of the clicked or submitted element. */
  const TAGPIPE_PAGE: boolean;
  const TAGPIPE_ELEMENT: boolean;
  // Trigger types (data-layer events and page views are always in).
  const TAGPIPE_HISTORY_CHANGE: boolean;
  const TAGPIPE_CLICK: boolean;
  const TAGPIPE_FORM_SUBMIT: boolean;
  // Fire limits (every_time is always in) and blocking triggers.
  const TAGPIPE_ONCE_PER_PAGE: boolean;
  const TAGPIPE_ONCE_PER_EVENT_ID: boolean;
  const TAGPIPE_BLOCKING: boolean;
  // Condition sources (page_path and data_layer are always in).
  const TAGPIPE_URL_CONDITION: boolean;
  const TAGPIPE_HOSTNAME_CONDITION: boolean;
  const TAGPIPE_VARIABLE_CONDITION: boolean;
  const TAGPIPE_REGION_CONDITION: boolean;
  // Condition operators (equals, contains, starts_with and ends_with are always in).
  const TAGPIPE_REGEX: boolean;
  const TAGPIPE_COMPARISON: boolean;
  // Regions: by explicit code, hostname/path rule or country; their currency and consent default.
  const TAGPIPE_REGIONS: boolean;
  // Identifiers for GA4's and Google Ads' server copies (with a tag, or server-only destinations).
  const TAGPIPE_GA_IDS: boolean;
  const TAGPIPE_GOOGLE_CLICK_IDS: boolean;
}

export {};
