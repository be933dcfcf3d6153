// What alerts are sent to, on 127.0.0.1: a webhook receiver that checks each request's
// signature as docs/collector.md tells receivers to (HMAC-SHA256 of "<timestamp>.<raw body>",
// timestamp within five minutes), and an SMTP server (smtp-server) that keeps every mail.
import crypto from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export type Hook = { path: string; headers: http.IncomingHttpHeaders; raw: string; body: { type: string; text: string; incident: Record<string, unknown> | null; site: { id: string; name: string } }; verified: boolean; at: number };

export class WebhookReceiver {
  readonly received: Hook[] = [];
  url = "";
  /** Secret per path (one channel per path). */
  readonly secrets = new Map<string, string>();
  /** Status to answer with (a failing receiver). */
  status = 200;
  private server: http.Server | null = null;

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const raw = Buffer.concat(chunks).toString("utf8");
        const path = req.url ?? "/";
        this.received.push({ path, headers: req.headers, raw, body: JSON.parse(raw), verified: verify(this.secrets.get(path) ?? "", req.headers, raw), at: Date.now() });
        res.writeHead(this.status, { "content-type": "text/plain" });
        res.end(this.status < 300 ? "ok, thanks" : "receiver is down");
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  at(path: string): Hook[] {
    return this.received.filter((h) => h.path === path);
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}

/** The receiver's check, written from docs/collector.md (not from Tagpipe's code). */
export function verify(secret: string, headers: http.IncomingHttpHeaders, raw: string): boolean {
  const timestamp = String(headers["x-tagpipe-timestamp"] ?? "");
  const signature = String(headers["x-tagpipe-signature"] ?? "");
  if (!secret || !/^\d+$/.test(timestamp) || Math.abs(Date.now() / 1000 - Number(timestamp)) > 300) return false;
  const expected = "sha256=" + crypto.createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex");
  return signature.length === expected.length && crypto.timingSafeEqual(Buffer.from(signature), Buffer.from(expected));
}

/** A header's RFC 2047 encoded words (=?UTF-8?Q?…?= or ?B?), as nodemailer writes non-ASCII subjects, back to text. */
export function decodeWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, "?==?")
    .replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, encoding: string, text: string) =>
      encoding.toLowerCase() === "b"
        ? Buffer.from(text, "base64").toString("utf8")
        : Buffer.from(text.replace(/_/g, " ").replace(/=([0-9a-f]{2})/gi, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16))), "latin1").toString("utf8"),
    )
    .replace(/\r\n[ \t]/g, " ");
}

export type Mail = { from: string; to: string[]; raw: string; subject: string; at: number };

export class MailSink {
  readonly received: Mail[] = [];
  port = 0;
  private server: SMTPServer | null = null;

  async start(): Promise<this> {
    this.server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      logger: false,
      onData: (stream, session, callback) => {
        const chunks: Buffer[] = [];
        stream.on("data", (c: Buffer) => chunks.push(c));
        stream.on("end", () => {
          const raw = Buffer.concat(chunks).toString("utf8");
          const subject = decodeWords(/^Subject: (.*(?:\r\n[ \t].*)*)/m.exec(raw)?.[1] ?? "");
          this.received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((r) => r.address), raw, subject, at: Date.now() });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", () => resolve()));
    this.port = (this.server.server.address() as AddressInfo).port;
    return this;
  }

  to(address: string): Mail[] {
    return this.received.filter((m) => m.to.includes(address));
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
