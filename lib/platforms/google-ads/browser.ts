// Google Ads' conversion tag in the container: gtag's conversion event to "AW-…/label",
// with the order id as transaction_id. Bundled only into containers with a Google Ads
// destination (runtime/vendors.ts, TAGPIPE_GOOGLE_ADS).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { clean, type Dict } from "../../../runtime/util";
import { gtag } from "../google-tag";

export function fireGoogleAds([, , , id, extra]: RuntimeDestination, _name: string, _at: number, _eventId: string, p: Dict): void {
  gtag(id)("event", "conversion", clean({ send_to: `${id}/${extra}`, value: p.value, currency: p.currency, transaction_id: p.order_id || undefined }));
}
