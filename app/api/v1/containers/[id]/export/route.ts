// GET /api/v1/containers/:id/export – the draft as a portable JSON file (no secrets)
import { route } from "@/lib/api/handler";
import { exportContainer } from "@/lib/config/transfer";

export const GET = route({ permission: "container:read" }, ({ actor, params }) => exportContainer(actor, params.id));
