// GET /api/v1/collected-events/:id – one collected event as stored, its delivery badges, and every attempt with the request sent and the answer
import { route } from "@/lib/api/handler";
import { getCollectedEvent } from "@/lib/stream/events";

export const GET = route({ permission: "delivery:read" }, ({ actor, params }) => getCollectedEvent(actor, params.id));
