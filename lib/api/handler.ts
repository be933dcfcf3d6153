// The one wrapper every /api/v1 route goes through: it authenticates (bearer API token
// or session cookie), refuses cross-site state changes made with a cookie (CSRF),
// checks the route's one permission, parses the JSON body and query with the route's zod
// schemas (unknown fields refused), and maps errors to JSON once.
import { z } from "zod";
import type { Actor } from "../auth/actor";
import { authorize } from "../auth/actor";
import { authenticateToken } from "../auth/tokens";
import { sessionActor } from "../auth/session";
import type { Permission } from "../rbac/permissions";
import { DomainError, RateLimitedError, fieldsMessage, type FieldProblem } from "../errors";
import { fieldProblems } from "../schemas/problems";
import { sameOrigin } from "./origin";
import { badCharacterProblems, badQueryProblems, hasBadCharacters } from "../schemas/text";

export const MAX_BODY_BYTES = 64 * 1024;

type Schema = z.ZodType;
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

export type RouteContext<B, Q> = {
  actor: Actor;
  body: B;
  query: Q;
  params: Record<string, string>;
  request: Request;
};

type Options<B extends Schema | undefined, Q extends Schema | undefined> = {
  /** null: the route is public (its handler gets no actor checks). */
  permission: Permission | null;
  body?: B;
  query?: Q;
  /** Body cap; 64 KB unless a route needs more (container import). */
  maxBodyBytes?: number;
};

type NextRouteContext = { params: Promise<Record<string, string | string[]>> };

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function json(data: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(data), {
    status,
    headers: { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...headers },
  });
}

export function errorResponse(status: number, code: string, message: string, fields: FieldProblem[] = [], headers: Record<string, string> = {}): Response {
  return json({ error: { code, message, ...(fields.length ? { fields } : {}) } }, status, headers);
}

function validationResponse(where: "body" | "query", error: z.ZodError): Response {
  return validationFailed(where, fieldProblems(error));
}

function validationFailed(where: "body" | "query", fields: FieldProblem[]): Response {
  return errorResponse(422, "validation_failed", fieldsMessage(fields, where), fields);
}

async function readJson(request: Request, maxBytes: number): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  const type = request.headers.get("content-type") ?? "";
  if (!type.toLowerCase().startsWith("application/json")) {
    return { ok: false, response: errorResponse(415, "unsupported_media_type", "Send the body as application/json") };
  }
  const declared = Number(request.headers.get("content-length") ?? 0);
  if (declared > maxBytes) return { ok: false, response: tooLarge(maxBytes) };
  const reader = request.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        return { ok: false, response: tooLarge(maxBytes) };
      }
      chunks.push(value);
    }
  }
  const text = Buffer.concat(chunks).toString("utf8");
  if (!text.trim()) return { ok: false, response: errorResponse(400, "invalid_json", "The request body is empty: send a JSON object") };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (error) {
    return { ok: false, response: errorResponse(400, "invalid_json", `Malformed JSON: ${(error as Error).message}`) };
  }
}

function tooLarge(maxBytes: number): Response {
  return errorResponse(413, "payload_too_large", `The body exceeds ${maxBytes / 1024} KB`);
}

async function resolveActor(request: Request): Promise<{ actor: Actor; viaCookie: boolean } | Response> {
  const header = request.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    const actor = match ? await authenticateToken(match[1]) : null;
    if (!actor) return errorResponse(401, "unauthorized", "The API token is invalid, revoked or expired");
    return { actor, viaCookie: false };
  }
  const actor = await sessionActor();
  if (!actor) return errorResponse(401, "unauthorized", "Sign in or send an API token (Authorization: Bearer tpk_…)");
  return { actor, viaCookie: true };
}

export function route<B extends Schema | undefined = undefined, Q extends Schema | undefined = undefined>(
  options: Options<B, Q>,
  handler: (ctx: RouteContext<Infer<B>, Infer<Q>>) => Promise<unknown>,
) {
  return async (request: Request, context: NextRouteContext): Promise<Response> => {
    try {
      let actor: Actor | null = null;
      if (options.permission) {
        const resolved = await resolveActor(request);
        if (resolved instanceof Response) return resolved;
        if (resolved.viaCookie && !SAFE_METHODS.has(request.method) && !sameOrigin(request)) {
          return errorResponse(403, "csrf", "Cross-site request refused: the Origin header does not match this site");
        }
        authorize(resolved.actor, options.permission);
        actor = resolved.actor;
      }

      // Ids in the path that PostgreSQL could not even compare (NUL, unpaired surrogates)
      // name nothing that exists.
      const raw = await context.params;
      const params = Object.fromEntries(Object.entries(raw ?? {}).map(([k, v]) => [k, Array.isArray(v) ? v.join("/") : v]));
      if (Object.values(params).some(hasBadCharacters)) return errorResponse(404, "not_found", "Not found");

      const url = new URL(request.url);
      const badQuery = badQueryProblems(url.search);
      if (badQuery.length) return validationFailed("query", badQuery);
      let query: unknown = undefined;
      if (options.query) {
        const parsed = options.query.safeParse(Object.fromEntries(url.searchParams));
        if (!parsed.success) return validationResponse("query", parsed.error);
        query = parsed.data;
      }
      let body: unknown = undefined;
      if (options.body) {
        const read = await readJson(request, options.maxBodyBytes ?? MAX_BODY_BYTES);
        if (!read.ok) return read.response;
        const bad = badCharacterProblems(read.value);
        if (bad.length) return validationFailed("body", bad);
        const parsed = options.body.safeParse(read.value);
        if (!parsed.success) return validationResponse("body", parsed.error);
        body = parsed.data;
      }
      const result = await handler({ actor: actor as Actor, body: body as Infer<B>, query: query as Infer<Q>, params, request });
      if (result instanceof Response) return result;
      if (result === undefined) return new Response(null, { status: 204 });
      return json(result, request.method === "POST" ? 201 : 200);
    } catch (error) {
      return mapError(error);
    }
  };
}

export function mapError(error: unknown): Response {
  if (error instanceof RateLimitedError) {
    return errorResponse(429, error.code, error.message, [], { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof DomainError) return errorResponse(error.status, error.code, error.message, error.fields);
  // Unexpected: log the error's name and message only (never request bodies: they may hold PII).
  console.error("[api] unexpected error:", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
  return errorResponse(500, "internal", "Something went wrong on our side; nothing was changed");
}
