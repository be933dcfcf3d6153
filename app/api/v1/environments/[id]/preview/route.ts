// POST /api/v1/environments/:id/preview – a preview link (4 hours) that shows the runtime's explanation panel on the storefront
import { route } from "@/lib/api/handler";
import { createPreviewLink } from "@/lib/compiler/preview";

export const POST = route({ permission: "draft:write" }, ({ actor, params }) => createPreviewLink(actor, params.id));
