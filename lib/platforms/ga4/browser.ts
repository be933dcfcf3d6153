// GA4's tag in the container: a gtag event with the order id as transaction_id and the
// event_id. Bundled only into containers with a GA4 destination (runtime/vendors.ts,
// TAGPIPE_GA4).
import type { RuntimeDestination } from "../../compiler/runtime-config";
import { clean, items, type Dict } from "../../../runtime/util";
import { gtag } from "../google-tag";

export function fireGa4([, , , id]: RuntimeDestination, name: string, _at: number, eventId: string, p: Dict): void {
  const list = items(p, (i, item_id) => clean({ item_id, quantity: i.quantity, price: i.price }));
  gtag(id)("event", name, clean({ send_to: id, value: p.value, currency: p.currency, transaction_id: p.order_id || undefined, items: list, event_id: eventId }));
}
