// The storefront's hot paths, answered by server.ts in front of Next's router: the
// collector's two doors. Plain node:http, a capped body read, one lib call each.
import type { IncomingMessage, ServerResponse } from "node:http";
import { serveScript } from "../compiler/serve";
import { COLLECT_PATH } from "../compiler/publish-script";
import { clientIp } from "./proxy";
import { collectFromBrowser, collectFromServer, MAX_COLLECT_BYTES, MAX_SERVER_BYTES, type IntakeRequest, type Reply } from "../collector/intake";

const COUNTRY_HEADER = process.env.TAGPIPE_COUNTRY_HEADER?.toLowerCase();

function send(res: ServerResponse, reply: Reply): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { "content-type": "application/json; charset=utf-8", "cache-control": "no-store", ...reply.headers });
  res.end(body);
}

/**
 * A body refused for its size is still read to its end (and thrown away) up to
 * DISCARD_LIMIT, so the 413 reaches a client that is still sending instead of a reset
 * (EPIPE) it cannot read; past that limit the answer goes at once and the connection closes.
 */
const DISCARD_LIMIT = 8 * 1024 * 1024;

/** The body as text, or null when it is over `max` bytes (declared or counted). */
function readBody(req: IncomingMessage, max: number): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"] ?? 0);
    if (declared > DISCARD_LIMIT) return resolve(null);
    const chunks: Buffer[] = [];
    let size = declared > max ? max + 1 : 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= max) chunks.push(chunk);
      else if (size > DISCARD_LIMIT) {
        req.removeAllListeners("data");
        req.resume();
        resolve(null);
      }
    });
    // A beacon's body is nearly always one chunk: decoded where it lies, not copied first.
    req.on("end", () => resolve(size > max ? null : (chunks.length === 1 ? chunks[0] : Buffer.concat(chunks)).toString("utf8")));
    req.on("error", reject);
  });
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Answers the request if it is a hot path; returns false to let Next handle it. */
export async function handleHotPath(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
  const path = (req.url ?? "").split("?")[0];
  if (req.method === "GET" || req.method === "HEAD") {
    const script = await serveScript(path, header(req, "if-none-match")).catch((error) => {
      console.error("[script] failed:", error instanceof Error ? error.message : String(error));
      return { status: 503, headers: { "retry-after": "1", "cache-control": "no-store" }, body: "" };
    });
    if (script) {
      res.writeHead(script.status, script.headers);
      res.end(req.method === "HEAD" ? undefined : script.body);
      return true;
    }
  }
  const isCollect = path === COLLECT_PATH;
  const isServer = path === "/api/v1/events";
  if (!isCollect && !isServer) return false;
  try {
    if (isCollect && req.method === "OPTIONS") {
      // text/plain beacons need no preflight; this answers clients that send JSON.
      res.writeHead(204, {
        "access-control-allow-origin": header(req, "origin") ?? "*",
        "access-control-allow-methods": "POST",
        "access-control-allow-headers": "content-type",
        "access-control-max-age": "86400",
        vary: "Origin",
      });
      res.end();
      return true;
    }
    if (req.method !== "POST") {
      send(res, { status: 405, headers: { allow: "POST" }, body: { error: { code: "method_not_allowed", message: "Use POST" } } });
      return true;
    }
    const max = isCollect ? MAX_COLLECT_BYTES : MAX_SERVER_BYTES;
    const body = await readBody(req, max);
    if (body === null) {
      send(res, { status: 413, headers: { connection: "close" }, body: { error: { code: "payload_too_large", message: `The body exceeds ${max / 1024} KB` } } });
      return true;
    }
    const intake: IntakeRequest = {
      body,
      contentType: header(req, "content-type") ?? "",
      origin: header(req, "origin"),
      authorization: header(req, "authorization"),
      ip: clientIp(req.socket.remoteAddress, req.headers["x-forwarded-for"]),
      userAgent: header(req, "user-agent"),
      referer: header(req, "referer"),
      country: COUNTRY_HEADER ? header(req, COUNTRY_HEADER) : undefined,
    };
    send(res, isCollect ? await collectFromBrowser(intake) : await collectFromServer(intake));
  } catch (error) {
    // Nothing was acknowledged: the client may retry. Log the kind of failure, never the body.
    console.error("[collect] failed:", error instanceof Error ? `${error.name}: ${error.message}` : String(error));
    if (!res.headersSent) send(res, { status: 503, headers: { "retry-after": "1" }, body: { error: { code: "unavailable", message: "Events were not stored; retry shortly" } } });
  }
  return true;
}
