// The import-gtm route's schemas, shared by the route and the OpenAPI document.
import { z } from "zod";

export const gtmImportQuery = z
  .strictObject({
    mode: z.enum(["preview", "apply"]).default("preview").meta({ description: "preview (the default): the report and the diff, nothing written; apply: write it into the draft" }),
    strategy: z.enum(["replace", "merge"]).default("replace").meta({ description: "replace: the draft becomes the imported container; merge: the imported entities are laid over the draft by name" }),
  })
  .meta({ id: "GtmImportQuery" });

/** The export file itself; parseGtmExport (lib/gtm/parse.ts) reads it and names what is wrong. */
export const gtmExportBody = z.unknown().meta({
  id: "GtmContainerExport",
  description: "A GTM web container export as GTM writes it (Admin → Export Container): exportFormatVersion 2 and containerVersion. Up to 5 MB.",
});
