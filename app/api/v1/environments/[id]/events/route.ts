// GET /api/v1/environments/:id/events?name=&status=&source=&destinationId=&delivery=&q=&cursor=&limit= – the live event stream, newest first, with a delivery badge per destination
import { route } from "@/lib/api/handler";
import { streamQuery } from "@/lib/schemas/stream";
import { listStream } from "@/lib/stream/events";

export const GET = route({ permission: "delivery:read", query: streamQuery }, ({ actor, params, query }) => listStream(actor, params.id, query));
