// The storefront of `npm run simulate`, on 127.0.0.1: its checkout places the order in
// the shop's own order list (the ground truth the reconciliation imports), sends the
// paid order's purchase to Tagpipe's server API when server copies are on — as a shop
// backend does, with the event_id the container derives from the order id, so the
// platforms can merge it with the browser's copy — and answers the thank-you page that
// loads the published container.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { sendServerEvents } from "../../tests/helpers/pipeline";
import { thankYouPage, type Purchase } from "../../tests/helpers/storefront";

export type ShopOrder = Purchase & { createdAt: string; status: "paid" };

export type Storefront = {
  url: string;
  /** The orders placed, by order id. */
  orders: Map<string, ShopOrder>;
  close(): Promise<void>;
};

export async function startStorefront(options: {
  collectorUrl: string;
  publicKey: string;
  serverKey: string;
  serverCopies: boolean;
  /** What each order id's cart holds. */
  carts: Map<string, Purchase>;
}): Promise<Storefront> {
  const orders = new Map<string, ShopOrder>();
  const containerUrl = `${options.collectorUrl}/c/${options.publicKey}.js`;

  async function checkout(orderId: string): Promise<string> {
    const cart = options.carts.get(orderId);
    if (!cart) throw new Error(`no cart ${orderId}`);
    const order: ShopOrder = { ...cart, createdAt: new Date().toISOString(), status: "paid" };
    orders.set(orderId, order);
    if (options.serverCopies) {
      const reply = await sendServerEvents(options.collectorUrl, options.serverKey, [
        {
          event_id: `order-${orderId}`,
          name: "purchase",
          params: { order_id: orderId, value: order.value, currency: order.currency, content_ids: order.contentIds },
          user_data: { email: order.email },
        },
      ]);
      const status = reply.body?.results?.[0]?.status;
      if (reply.status !== 202 || (status !== "accepted" && status !== "duplicate")) throw new Error(`the server copy of ${orderId} was refused: ${reply.status} ${reply.text.slice(0, 300)}`);
    }
    return thankYouPage(containerUrl, order);
  }

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://shop");
    const match = /^\/checkout\/([\w-]+)$/.exec(url.pathname);
    if (!match) {
      res.writeHead(404).end();
      return;
    }
    checkout(match[1]).then(
      (html) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(html),
      (error: Error) => res.writeHead(500, { "content-type": "text/plain" }).end(error.message),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    orders,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
