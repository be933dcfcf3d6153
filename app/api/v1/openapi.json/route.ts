// GET /api/v1/openapi.json – the OpenAPI document, generated from the zod schemas
import { openApiDocument } from "@/lib/api/openapi";
import { json } from "@/lib/api/handler";
import { publicOrigin } from "@/lib/api/origin";

export function GET(request: Request) {
  return json(openApiDocument(publicOrigin(request)));
}
