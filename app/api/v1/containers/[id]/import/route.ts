// POST /api/v1/containers/:id/import – replace the draft with an exported file (all or nothing)
import { route } from "@/lib/api/handler";
import { importContainer, importFile } from "@/lib/config/transfer";

export const POST = route({ permission: "draft:write", body: importFile, maxBodyBytes: 2 * 1024 * 1024 }, ({ actor, params, body }) => importContainer(actor, params.id, body));
