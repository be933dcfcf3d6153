// The registry of server-side destinations. Image pixels fire in the browser only.
import type { Adapter } from "../types";
import { meta } from "./meta";
import { tiktok } from "./tiktok";
import { ga4 } from "./ga4";
import { googleAds } from "./google-ads";
import { webhook } from "./webhook";

export const ADAPTERS: Record<string, Adapter> = { meta, tiktok, ga4, google_ads: googleAds, webhook };
