// POST /api/v1/environments/:id/test-event – send a test server event through the collector (event_id tagpipe_test_…, test: true)
import { route } from "@/lib/api/handler";
import { testEventRequest } from "@/lib/schemas/stream";
import { sendTestEvent } from "@/lib/stream/test-event";

export const POST = route({ permission: "draft:write", body: testEventRequest }, ({ actor, params, body }) => sendTestEvent(actor, params.id, body, "127.0.0.1"));
