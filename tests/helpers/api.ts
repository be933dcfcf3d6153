// A small HTTP client for the integration tests: a cookie jar (for next-auth sessions),
// bearer tokens, JSON in and out, and the helpers every spec needs to get a team of its
// own: signUp, signIn, createToken, newTeam.
import { randomBytes } from "node:crypto";
import http from "node:http";
import { expect } from "vitest";

// Response bodies are whatever the server answered; specs assert on their shape.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export type Reply = { status: number; headers: Headers; body: Json; text: string };

export type CallOptions = {
  headers?: Record<string, string>;
  /** Session clients send Origin = base on writes unless this is null (or another origin). */
  origin?: string | null;
  /** A raw body sent as-is (no JSON encoding, no content type unless given in headers). */
  raw?: string | Uint8Array;
};

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

// Every 5xx any client saw; tests/integration/setup.ts fails the test that caused one.
const serverErrors: string[] = [];
export function drainServerErrors(): string[] {
  return serverErrors.splice(0);
}

let counter = 0;
/** Unique enough for names and emails within and across runs. */
export function uid(): string {
  counter += 1;
  return `${Date.now().toString(36)}${counter.toString(36)}${randomBytes(3).toString("hex")}`;
}

export class Client {
  readonly cookies = new Map<string, string>();

  constructor(
    readonly base: string,
    readonly token: string | null = null,
  ) {}

  /** A raw request relative to the server; redirects are not followed; cookies are kept. */
  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size && !headers.has("cookie")) {
      headers.set("cookie", this.cookieHeader());
    }
    const response = await fetch(new URL(path, this.base), { ...init, headers, redirect: "manual" });
    if (response.status >= 500) serverErrors.push(`${init.method ?? "GET"} ${path} → ${response.status}`);
    this.storeCookies(response.headers.getSetCookie());
    return response;
  }

  cookieHeader(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Keeps the cookies of Set-Cookie lines; an emptied or expired one is dropped. */
  storeCookies(lines: string[]): void {
    for (const line of lines) {
      const [pair, ...attributes] = line.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired =
        value === "" ||
        attributes.some((a) => /^\s*max-age\s*=\s*(0|-\d+)\s*$/i.test(a)) ||
        attributes.some((a) => /^\s*expires\s*=/i.test(a) && Date.parse(a.split("=")[1]) < Date.now());
      if (expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** A call to /api/v1: JSON body in, parsed JSON (or null) out. */
  async call(method: string, path: string, body?: unknown, options: CallOptions = {}): Promise<Reply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    let payload: string | Uint8Array | undefined;
    if (options.raw !== undefined) {
      payload = options.raw;
    } else if (body !== undefined) {
      payload = JSON.stringify(body);
      headers["content-type"] ??= "application/json";
    }
    if (UNSAFE.has(method) && !this.token) {
      const origin = options.origin === undefined ? this.base : options.origin;
      if (origin !== null) headers.origin = origin;
    }
    const response = await this.fetch(`/api/v1${path}`, { method, headers, body: payload as BodyInit | undefined });
    const text = await response.text();
    let parsed: Json = null;
    if (text) {
      try {
        parsed = JSON.parse(text);
      } catch {
        parsed = text;
      }
    }
    return { status: response.status, headers: response.headers, body: parsed, text };
  }

  get(path: string, options?: CallOptions) {
    return this.call("GET", path, undefined, options);
  }
  post(path: string, body?: unknown, options?: CallOptions) {
    return this.call("POST", path, body, options);
  }
  patch(path: string, body?: unknown, options?: CallOptions) {
    return this.call("PATCH", path, body, options);
  }
  delete(path: string, options?: CallOptions) {
    return this.call("DELETE", path, undefined, options);
  }
}

/** Asserts the status (showing the body when it differs) and returns the body. */
export function expectStatus(reply: Reply, status: number): Json {
  expect(reply.status, `${status} expected, got ${reply.status}: ${reply.text.slice(0, 500)}`).toBe(status);
  return reply.body;
}

export type Credentials = { email: string; password: string; name: string; teamName: string };

/** Open sign-up: a new user, a new team, and the user as its owner. */
export async function signUp(base: string, overrides: Partial<Credentials> = {}): Promise<Credentials & { teamId: string }> {
  const id = uid();
  const credentials: Credentials = {
    email: `owner-${id}@example.test`,
    password: `pw-${id}-long-enough`,
    name: `Owner ${id}`,
    teamName: `Team ${id}`,
    ...overrides,
  };
  const body = expectStatus(await new Client(base).post("/signup", credentials), 201);
  return { ...credentials, teamId: body.teamId };
}

// The server throttles sign-in attempts per client IP (30 a minute, blocked for a minute
// after), as in production, and every test runs on this machine, two files at a time, each
// in a process of its own (vitest's forks pool). So each attempt connects from a loopback
// address (all of 127.0.0.0/8 reaches the server on 127.0.0.1) that belongs to this
// process: 127.<pid's second byte>.<pid's low byte>.<2–254, in turn>. Two processes never
// share one — when they walked the same 127.0.0.x cycle, the throttle test's blocked
// address failed the other file's next sign-in there — and one process comes back to an
// address only after 252 other attempts. A test that pins one (the throttle test) has it
// to itself.
const OWN_PREFIX = `127.${(process.pid >> 8) & 255}.${process.pid & 255}`;
let nextHost = 1;
export function loopbackAddress(): string {
  nextHost = nextHost >= 254 ? 2 : nextHost + 1;
  return `${OWN_PREFIX}.${nextHost}`;
}

/** A POST over node:http, from a chosen local address (fetch cannot choose one). */
function postFrom(url: URL, headers: Record<string, string>, body: string, localAddress: string) {
  return new Promise<{ status: number; location: string | null; setCookies: string[] }>((resolve, reject) => {
    const request = http.request(url, { method: "POST", headers: { ...headers, "content-length": String(Buffer.byteLength(body)) }, localAddress }, (response) => {
      response.resume();
      response.on("end", () => {
        const setCookie = response.headers["set-cookie"] ?? [];
        resolve({ status: response.statusCode ?? 0, location: response.headers.location ?? null, setCookies: setCookie });
      });
    });
    request.on("error", reject);
    request.end(body);
  });
}

/**
 * One next-auth credentials sign-in attempt, as the sign-in form makes it: fetch a CSRF
 * token, then post the form. Answers the redirect, next-auth's `error` parameter, and the
 * client (holding the session cookie when it worked).
 */
export async function attemptSignIn(base: string, email: string, password: string, from = loopbackAddress()) {
  const client = new Client(base);
  const csrf = await client.fetch("/api/auth/csrf");
  expect(csrf.status).toBe(200);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const response = await postFrom(
    new URL("/api/auth/callback/credentials", base),
    { "content-type": "application/x-www-form-urlencoded", cookie: client.cookieHeader() },
    new URLSearchParams({ csrfToken, email, password, callbackUrl: `${base}/` }).toString(),
    from,
  );
  if (response.status >= 500) serverErrors.push(`POST /api/auth/callback/credentials → ${response.status}`);
  client.storeCookies(response.setCookies);
  const location = response.location;
  const error = location ? new URL(location, base).searchParams.get("error") : null;
  return { client, status: response.status, location, error, setCookies: response.setCookies };
}

export const SESSION_COOKIE = "next-auth.session-token";
/** The name next-auth uses when cookies are Secure (HTTPS, or TAGPIPE_SECURE_COOKIES=1). */
export const SECURE_SESSION_COOKIE = `__Secure-${SESSION_COOKIE}`;

export function hasSession(client: Client): boolean {
  return client.cookies.has(SESSION_COOKIE) || client.cookies.has(SECURE_SESSION_COOKIE);
}

/** Signs in and answers a client holding the session cookie; fails the test otherwise. */
export async function signIn(base: string, email: string, password: string): Promise<Client> {
  const attempt = await attemptSignIn(base, email, password);
  if (!hasSession(attempt.client)) {
    throw new Error(`sign-in as ${email} failed: ${attempt.status} → ${attempt.location} (error ${attempt.error})`);
  }
  return attempt.client;
}

export type Role = "owner" | "publisher" | "editor" | "viewer";

/** Creates an API token with a session or an owner token; answers the create response (with `secret`). */
export async function createToken(by: Client, role: Role, extra: { name?: string; expiresInDays?: number } = {}) {
  const body = expectStatus(await by.post("/tokens", { name: extra.name ?? `${role}-${uid()}`, role, ...extra }), 201);
  expect(body.secret).toMatch(/^tpk_/);
  return body as { id: string; name: string; role: Role; prefix: string; secret: string };
}

export type Team = Credentials & {
  teamId: string;
  /** The owner's user id. */
  userId: string;
  /** The owner's signed-in session. */
  session: Client;
  /** An owner API token. */
  owner: Client;
  ownerTokenId: string;
  ownerTokenName: string;
};

/** A team of its own for a test: signed-up owner, their session, and an owner API token. */
export async function newTeam(base: string): Promise<Team> {
  const credentials = await signUp(base);
  const session = await signIn(base, credentials.email, credentials.password);
  const token = await createToken(session, "owner");
  const owner = new Client(base, token.secret);
  const members = expectStatus(await owner.get("/members"), 200);
  const userId = members.data.find((m: Json) => m.user.email === credentials.email).user.id as string;
  return { ...credentials, userId, session, owner, ownerTokenId: token.id, ownerTokenName: token.name };
}

/** Invites `email` with `role` (as an owner session) and accepts it; answers the new member's details. */
export async function addMember(team: Team, role: Role) {
  const id = uid();
  const email = `member-${id}@example.test`;
  const password = `pw-${id}-long-enough`;
  const name = `Member ${id}`;
  const invite = expectStatus(await team.session.post("/invites", { email, role }), 201);
  const token = new URL(invite.link).pathname.split("/").pop()!;
  expectStatus(await new Client(team.session.base).post("/invites/accept", { token, name, password }), 201);
  const members = expectStatus(await team.owner.get("/members"), 200);
  const member = members.data.find((m: Json) => m.user.email === email);
  return { email, password, name, inviteId: invite.id as string, memberId: member.id as string, userId: member.user.id as string };
}

/** A valid site body with a unique name. */
export function siteBody(extra: Record<string, unknown> = {}) {
  return { name: `Shop ${uid()}`, hostnames: [`shop-${uid()}.example.com`], defaultCurrency: "EUR", ...extra };
}

export function regionBody(extra: Record<string, unknown> = {}) {
  return { code: `r${uid()}`.slice(0, 32), name: "Region", countries: ["DE"], ...extra };
}
