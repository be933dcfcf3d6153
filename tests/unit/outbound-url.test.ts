// The outbound guard at connect time and what it keeps of an answer. The rules on a saved
// URL are in tests/unit/alerts/channels.test.ts; here: a name that resolves to loopback is
// refused when connecting (DNS rebinding: the name passed the save-time check), and a
// receiver's long, noisy answer is kept as a short one-line excerpt.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { EXCERPT_CHARS, excerpt, guardedLookup, OutboundRefused, postOutbound } from "@/lib/http/outbound-url";

let server: http.Server;
let port: number;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    req.resume();
    res.writeHead(400, { "content-type": "text/plain", "retry-after": "7" });
    res.end(`bad\u0000request\r\n${"<script>x</script> ".repeat(2000)}`);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe("at connect time", () => {
  it("a name resolving to loopback is refused, whatever it passed when saved", async () => {
    const error = await new Promise<NodeJS.ErrnoException | null>((resolve) => guardedLookup("localhost", {}, (e) => resolve(e)));
    expect(error?.code).toBe("EADDRBLOCKED");
    expect(error?.message).toMatch(/private or reserved address/);
  });

  it("a request to a private address is refused without a connection (TAGPIPE_ALLOW_PRIVATE_WEBHOOKS unset)", async () => {
    let reached = false;
    server.once("request", () => (reached = true));
    await expect(postOutbound(`http://127.0.0.1:${port}/hook`, {}, "{}", 2000)).rejects.toBeInstanceOf(OutboundRefused);
    await expect(postOutbound(`https://127.0.0.1:${port}/hook`, {}, "{}", 2000)).rejects.toThrow(/loopback, private/);
    expect(reached).toBe(false);
  });
});

describe("what is kept of an answer", () => {
  it("one printable line of at most 300 characters", () => {
    const kept = excerpt(`line one\r\n\u0000\u001b[31m${"x".repeat(1000)}`);
    expect(kept.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(kept).not.toMatch(/[\u0000-\u001f]/);
    expect(kept.startsWith("line one [31m")).toBe(true);
  });

  it("postOutbound reads at most a few KB and answers the status, Retry-After and the excerpt", async () => {
    // env() is read once per module instance: a fresh one sees the flag.
    process.env.TAGPIPE_ALLOW_PRIVATE_WEBHOOKS = "1";
    vi.resetModules();
    const fresh = await import("@/lib/http/outbound-url");
    const answer = await fresh.postOutbound(`http://127.0.0.1:${port}/hook`, { "content-type": "application/json" }, "{}", 2000);
    delete process.env.TAGPIPE_ALLOW_PRIVATE_WEBHOOKS;
    expect(answer.status).toBe(400);
    expect(answer.retryAfter).toBe("7");
    expect(answer.excerpt.length).toBeLessThanOrEqual(EXCERPT_CHARS);
    expect(answer.excerpt).toMatch(/^bad request <script>/);
  });
});
