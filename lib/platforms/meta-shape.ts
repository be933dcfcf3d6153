// The parts of Meta's Conversions API shape that Pinterest's and Snapchat's take too.
// user_data: each hashed identifier as a one-element list, the visitor's IP address and
// user agent (and, for Meta, its cookies' ids) as they are, absent ones left out; each
// platform names the identifiers it takes, in the order its documentation lists them.
// custom_data: Pinterest's and Snapchat's (Meta's has more, in its own order).
import type { HashedUserData } from "../collector/hash";
import { compact, contentIds, items, num, type Job } from "../forwarder/types";

type Field = keyof HashedUserData;

/** The hashed identifiers Pinterest and Snapchat take (Meta adds date of birth and gender). */
export const HASHED: readonly Field[] = ["em", "ph", "fn", "ln", "ct", "st", "zp", "country", "external_id"];
/** Sent unhashed, as the platforms require. */
export const VISITOR: readonly Field[] = ["client_ip_address", "client_user_agent"];

export function userData(u: HashedUserData, hashed: readonly Field[] = HASHED, plain: readonly Field[] = VISITOR): Record<string, string | string[]> {
  const out: Record<string, string | string[] | undefined> = {};
  for (const k of hashed) out[k] = u[k] ? [u[k]] : undefined;
  for (const k of plain) out[k] = u[k];
  return compact(out) as Record<string, string | string[]>;
}

/** Pinterest's and Snapchat's custom_data; `text`: the value and prices as strings (Pinterest takes them so). */
export function customData(event: Job["event"], text = false): Record<string, unknown> {
  const p = event.params;
  const amount = (n: number | undefined) => (text && n !== undefined ? String(n) : n);
  const contents = items(p).map((i) => compact({ id: i.id, quantity: i.quantity, item_price: amount(i.price) }));
  return compact({
    currency: typeof p.currency === "string" ? p.currency : undefined,
    value: amount(num(p.value)),
    content_ids: contentIds(p),
    contents: contents.length ? contents : undefined,
    num_items: num(p.num_items),
    order_id: event.orderId ?? undefined,
    search_string: typeof p.search_string === "string" ? p.search_string : undefined,
  });
}
