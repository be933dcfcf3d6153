// GET /api/v1/plan/events – the team's tracking plan
// POST /api/v1/plan/events – define an event (or {"preset":"purchase"} for a standard one)
import { z } from "zod";
import { route } from "@/lib/api/handler";
import { planEventCreate } from "@/lib/schemas/config";
import { createPlanEvent, createPlanEventFromPreset, listPlanEvents } from "@/lib/config/plan";

const fromPreset = z.strictObject({ preset: z.string().max(40), ownerId: z.string().max(64).nullable().default(null) });

export const GET = route({ permission: "plan:read" }, async ({ actor }) => ({ data: await listPlanEvents(actor) }));
export const POST = route({ permission: "plan:write", body: z.union([fromPreset, planEventCreate]) }, ({ actor, body }) =>
  "preset" in body ? createPlanEventFromPreset(actor, body.preset, body.ownerId) : createPlanEvent(actor, body),
);
