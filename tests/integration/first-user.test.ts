// A fresh install without open sign-up: the first person to sign up creates the team and
// becomes its owner (exactly one, even when several try at once); everyone after that
// needs an invitation. These servers also run with TAGPIPE_SECURE_COOKIES=1, as behind
// HTTPS, so the session cookie must be Secure. The server runs on its own embedded
// PostgreSQL, as `npm start` on a fresh machine does.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import {
  Client,
  SECURE_SESSION_COOKIE,
  attemptSignIn,
  expectStatus,
  hasSession,
  signIn,
  uid,
  type Json,
} from "../helpers/api";
import { startServer, type RunningServer } from "../helpers/server";

let server: RunningServer | null = null;

beforeAll(async () => {
  server = await startServer({ name: "setup-embedded", backend: "embedded", distDir: inject("distDir"), env: { TAGPIPE_SECURE_COOKIES: "1" } });
});

afterAll(async () => {
  await server?.stop();
});

function person() {
  const id = uid();
  return { email: `person-${id}@example.test`, name: `Person ${id}`, password: `pw-${id}-long-enough`, teamName: `Team ${id}` };
}

describe("first-user set-up on a fresh install", () => {
  const url = () => server!.url;
  let first: ReturnType<typeof person>;

  it("of several simultaneous first sign-ups exactly one succeeds, and becomes owner", async () => {
    const people = [person(), person(), person()];
    const replies = await Promise.all(people.map((p) => new Client(url()).post("/signup", p)));
    const statuses = replies.map((r) => r.status).sort();
    expect(statuses).toEqual([201, 403, 403]);
    const winner = replies.findIndex((r) => r.status === 201);
    first = people[winner];
    for (const refused of replies.filter((r) => r.status === 403)) expect(refused.body.error.code).toBe("forbidden");

    const session = await signIn(url(), first.email, first.password);
    expect(expectStatus(await session.get("/team"), 200)).toMatchObject({ id: replies[winner].body.teamId, name: first.teamName, role: "owner" });
    const members = expectStatus(await session.get("/members"), 200);
    expect(members.data).toEqual([expect.objectContaining({ role: "owner", user: expect.objectContaining({ email: first.email }) })]);

    for (const loser of people.filter((_, i) => i !== winner)) {
      expect((await attemptSignIn(url(), loser.email, loser.password)).error).toBe("CredentialsSignin");
    }
  });

  it("a later sign-up is refused with 403 and creates nothing", async () => {
    const late = person();
    const reply = expectStatus(await new Client(url()).post("/signup", late), 403);
    expect(reply.error).toMatchObject({ code: "forbidden", message: expect.stringMatching(/invitation/) });
    const attempt = await attemptSignIn(url(), late.email, late.password);
    expect(attempt.error).toBe("CredentialsSignin");
    expect(hasSession(attempt.client)).toBe(false);
  });

  it("invited people still join, and the session cookie is Secure", async () => {
    const attempt = await attemptSignIn(url(), first.email, first.password);
    const cookie = attempt.setCookies.find((c) => c.startsWith(`${SECURE_SESSION_COOKIE}=`));
    expect(cookie, attempt.setCookies.join("\n")).toBeDefined();
    const flags = cookie!.split(";").slice(1).map((f) => f.trim().toLowerCase());
    expect(flags).toEqual(expect.arrayContaining(["secure", "httponly", "samesite=lax", "path=/"]));

    const owner = attempt.client;
    const joiner = person();
    const invite = expectStatus(await owner.post("/invites", { email: joiner.email, role: "viewer" }), 201);
    expectStatus(await new Client(url()).post("/invites/accept", { token: invite.link.split("/").pop(), name: joiner.name, password: joiner.password }), 201);
    const session = await signIn(url(), joiner.email, joiner.password);
    expect(expectStatus(await session.get("/team"), 200).role).toBe("viewer");
    const members = expectStatus(await owner.get("/members"), 200);
    expect(members.data.map((m: Json) => m.user.email).sort()).toEqual([first.email, joiner.email].sort());
  });
});
