// POST /api/v1/deliveries/replay – send dead-lettered deliveries again ({ids} or {destinationId}, or all)
import { route } from "@/lib/api/handler";
import { deliveryReplay } from "@/lib/schemas/deliveries";
import { replayDeliveries } from "@/lib/forwarder/deliveries";

export const POST = route({ permission: "delivery:replay", body: deliveryReplay }, ({ actor, body }) => replayDeliveries(actor, body));
