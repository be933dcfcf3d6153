// Sending one alert message through one channel: a signed webhook, or an email through
// the SMTP server of TAGPIPE_SMTP_URL (or TAGPIPE_SMTP_HOST/PORT/USER/PASS). Only a short
// excerpt of what the receiver answered is kept.
import nodemailer, { type Transporter } from "nodemailer";
import { env } from "../../env";
import { signWebhook } from "../../platforms/webhook/server";
import { emailOf, type AlertMessage } from "./message";
import { excerpt, postOutbound } from "../../http/outbound-url";

export type SendResult = { ok: boolean; response: string };

const TIMEOUT_MS = 10_000;

/**
 * POST the message as JSON with `X-Tagpipe-Timestamp` and `X-Tagpipe-Signature: sha256=<hex
 * HMAC-SHA256 of "<timestamp>.<body>">` (the destinations' webhook scheme), through the
 * outbound guard (lib/http/outbound-url.ts) that webhook destinations use too.
 */
export async function sendWebhook(url: string, secret: string, message: AlertMessage): Promise<SendResult> {
  const body = JSON.stringify(message);
  const timestamp = String(Math.floor(Date.now() / 1000));
  try {
    const answer = await postOutbound(
      url,
      {
        "content-type": "application/json",
        "user-agent": "Tagpipe-Alerts/1",
        "x-tagpipe-event": message.type,
        "x-tagpipe-timestamp": timestamp,
        "x-tagpipe-signature": signWebhook(secret, timestamp, body),
      },
      body,
      TIMEOUT_MS,
    );
    return { ok: answer.status >= 200 && answer.status < 300, response: excerpt(`HTTP ${answer.status}${answer.excerpt ? `: ${answer.excerpt}` : ""}`) };
  } catch (error) {
    return { ok: false, response: excerpt(error instanceof Error ? error.message : String(error)) };
  }
}

const TRANSPORT = Symbol.for("tagpipe.smtp");
type Holder = { [TRANSPORT]?: Transporter | null };

/** The SMTP transport from the environment, or null when no SMTP server is configured. */
function transport(): Transporter | null {
  const holder = globalThis as Holder;
  if (holder[TRANSPORT] !== undefined) return holder[TRANSPORT];
  const e = env();
  let made: Transporter | null = null;
  if (e.TAGPIPE_SMTP_URL) made = nodemailer.createTransport(e.TAGPIPE_SMTP_URL);
  else if (e.TAGPIPE_SMTP_HOST) {
    const port = e.TAGPIPE_SMTP_PORT ?? 587;
    made = nodemailer.createTransport({
      host: e.TAGPIPE_SMTP_HOST,
      port,
      secure: port === 465,
      auth: e.TAGPIPE_SMTP_USER ? { user: e.TAGPIPE_SMTP_USER, pass: e.TAGPIPE_SMTP_PASS ?? "" } : undefined,
    });
  }
  holder[TRANSPORT] = made;
  return made;
}

export function smtpConfigured(): boolean {
  return transport() !== null;
}

export async function sendEmail(recipients: string[], message: AlertMessage): Promise<SendResult> {
  const smtp = transport();
  if (!smtp) return { ok: false, response: "not sent: no SMTP server is configured (TAGPIPE_SMTP_URL or TAGPIPE_SMTP_HOST)" };
  const { subject, text } = emailOf(message);
  try {
    const info = await smtp.sendMail({ from: env().TAGPIPE_SMTP_FROM, to: recipients, subject, text });
    const refused = info.rejected?.length ?? 0;
    return { ok: refused === 0, response: excerpt(`${info.response ?? "sent"}${refused ? ` (${refused} recipients refused)` : ""}`) };
  } catch (error) {
    return { ok: false, response: excerpt(error instanceof Error ? error.message : String(error)) };
  }
}
