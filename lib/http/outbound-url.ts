// Outbound webhooks — webhook destinations and alert webhook channels — go where a team
// member says, so their URL is a way into the server's own network (server-side request
// forgery): only https, and never an address that is loopback, private, link-local (cloud
// metadata at 169.254.169.254), shared or reserved. Checked when the URL is saved (scheme,
// names, literal addresses) and again when a request connects (every address the name
// resolves to, and the connection goes to the address checked, so a DNS answer that
// changes between the two — DNS rebinding — cannot slip through). Redirects are not
// followed, and only a short excerpt of the answer is kept: what a receiver says may be
// read by every viewer of the team. TAGPIPE_ALLOW_PRIVATE_WEBHOOKS=1 lifts the address
// rules and allows http (tests, or a receiver on the LAN).
import dns from "node:dns";
import http from "node:http";
import https from "node:https";
import net from "node:net";
import { env } from "../env";

const BLOCKED = new net.BlockList();
for (const [prefix, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 3],
] as const)
  BLOCKED.addSubnet(prefix, bits, "ipv4");
for (const [prefix, bits] of [
  ["::", 128],
  ["::1", 128],
  ["64:ff9b::", 96],
  ["100::", 64],
  ["2001:db8::", 32],
  ["fc00::", 7],
  ["fe80::", 10],
  ["ff00::", 8],
] as const)
  BLOCKED.addSubnet(prefix, bits, "ipv6");

const BLOCKED_NAMES = /^(localhost|.*\.localhost|metadata\.google\.internal|.*\.internal|.*\.local)$/i;

/** Whether an IP address is one a webhook must never reach. */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return BLOCKED.check(address, "ipv4");
  if (family === 6) {
    // ::ffff:10.0.0.1 is 10.0.0.1.
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
    if (mapped) return BLOCKED.check(mapped[1], "ipv4");
    return BLOCKED.check(address, "ipv6");
  }
  return true;
}

function allowPrivate(): boolean {
  return env().TAGPIPE_ALLOW_PRIVATE_WEBHOOKS;
}

/** Why a webhook URL is refused, or null. */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "must be an absolute URL";
  }
  if (url.username || url.password) return "must not carry a user name or password";
  if (allowPrivate()) return url.protocol === "https:" || url.protocol === "http:" ? null : "must be an http(s) URL";
  if (url.protocol !== "https:") return "must be an https URL";
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (net.isIP(host)) return isBlockedAddress(host) ? "must not point at a loopback, private, link-local or reserved address" : null;
  if (BLOCKED_NAMES.test(host) || !host.includes(".")) return "must name a public host";
  return null;
}

/** dns.lookup for http(s).request: fails when any address the name resolves to is blocked. */
export function guardedLookup(hostname: string, options: dns.LookupOptions, callback: (error: NodeJS.ErrnoException | null, address: string | dns.LookupAddress[], family?: number) => void): void {
  dns.lookup(hostname, { ...options, all: true }, (error, addresses) => {
    if (error) return callback(error, "");
    const list = addresses as dns.LookupAddress[];
    if (!allowPrivate() && (!list.length || list.some((a) => isBlockedAddress(a.address)))) {
      const refused: NodeJS.ErrnoException = new Error(`${hostname} resolves to a private or reserved address; webhooks are not sent there`);
      refused.code = "EADDRBLOCKED";
      return callback(refused, "");
    }
    if (options.all) return callback(null, list);
    callback(null, list[0].address, list[0].family);
  });
}

/** What is kept of a receiver's answer: one line, printable, at most 300 characters. */
export const EXCERPT_CHARS = 300;

export function excerpt(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f-\u009f\s]+/g, " ").trim();
  return flat.length > EXCERPT_CHARS ? `${flat.slice(0, EXCERPT_CHARS - 1)}…` : flat;
}

export type OutboundAnswer = { status: number; retryAfter: string | null; excerpt: string };

/** Thrown when the URL or the address it resolves to is refused: not worth a retry. */
export class OutboundRefused extends Error {}

/** At most this much of an answer is read: the rest is neither kept nor waited for. */
const READ_LIMIT = 4096;

/**
 * POSTs `body` through the guard: the URL checked, every resolved address checked at
 * connect time, no redirects, a timeout, and the answer reduced to an excerpt. Network
 * failures reject with the error; a refused URL or address rejects with OutboundRefused.
 */
export function postOutbound(url: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<OutboundAnswer> {
  const problem = webhookUrlProblem(url);
  if (problem) return Promise.reject(new OutboundRefused(`not sent: the URL ${problem}`));
  const target = new URL(url);
  const client = target.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target,
      { method: "POST", lookup: guardedLookup as never, timeout: timeoutMs, headers: { ...headers, "content-length": String(Buffer.byteLength(body)) } },
      (response) => {
        let text = "";
        response.setEncoding("utf8");
        response.on("data", (chunk: string) => {
          if (text.length < READ_LIMIT) text += chunk;
          else response.destroy();
        });
        const done = () => {
          const status = response.statusCode ?? 0;
          const retryAfter = response.headers["retry-after"];
          resolve({ status, retryAfter: typeof retryAfter === "string" ? retryAfter : null, excerpt: excerpt(text) });
        };
        response.on("end", done);
        response.on("close", done);
        response.on("error", (error) => reject(error));
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${timeoutMs / 1000} s`)));
    request.on("error", (error: NodeJS.ErrnoException) => reject(error.code === "EADDRBLOCKED" ? new OutboundRefused(`not sent: ${error.message}`) : error));
    request.end(body);
  });
}
