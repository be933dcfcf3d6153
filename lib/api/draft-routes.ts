// Route handlers shared by the three draft entity kinds (triggers, variables,
// destinations), so each kind's route files are one line each and behave identically.
import type { z } from "zod";
import { route } from "./handler";
import { createDraft, deleteDraft, getDraft, listDraft, updateDraft, type DraftKind } from "../config/draft-entities";

export function draftCollectionRoutes(kind: DraftKind, createSchema: z.ZodType) {
  return {
    GET: route({ permission: "container:read" }, async ({ actor, params }) => ({ data: await listDraft(actor, kind, params.id) })),
    POST: route({ permission: "draft:write", body: createSchema }, ({ actor, params, body }) =>
      createDraft(actor, kind, params.id, body as Parameters<typeof createDraft>[3]),
    ),
  };
}

export function draftItemRoutes(kind: DraftKind, updateSchema: z.ZodType) {
  return {
    GET: route({ permission: "container:read" }, ({ actor, params }) => getDraft(actor, kind, params.id)),
    PATCH: route({ permission: "draft:write", body: updateSchema }, ({ actor, params, body }) =>
      updateDraft(actor, kind, params.id, body as Parameters<typeof updateDraft>[3]),
    ),
    DELETE: route({ permission: "draft:write" }, ({ actor, params }) => deleteDraft(actor, kind, params.id)),
  };
}
