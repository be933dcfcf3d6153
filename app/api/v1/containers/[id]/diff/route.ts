// GET /api/v1/containers/:id/diff?from=&to= – semantic diff; each side is "draft", a version id or "env:<environment id>"
import { z } from "zod";
import { route } from "@/lib/api/handler";
import { diffContainer } from "@/lib/versions/versions";

const query = z.strictObject({ from: z.string().min(1).max(80), to: z.string().min(1).max(80).default("draft") });

export const GET = route({ permission: "version:read", query }, ({ actor, params, query }) => diffContainer(actor, params.id, query.from, query.to));
