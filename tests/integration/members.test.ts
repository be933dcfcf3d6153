// Members and invitations: an owner invites by email with a role and gets a one-time
// link (no mail server); the invitee accepts with a name and password, signs in with the
// invited role; owners change and remove roles, a team always keeps an owner, and a
// change of role or removal applies to the member's very next request.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, expectStatus, newTeam, signIn, signUp, siteBody, uid, type Json, type Team } from "../helpers/api";

const LINK_TOKEN = /^[A-Za-z0-9_-]{32}$/;

describe.each(inject("servers"))("members and invitations on $name", ({ url }) => {
  let team: Team;

  beforeAll(async () => {
    team = await newTeam(url);
  });

  const tokenOf = (link: string) => link.split("/").pop()!;
  const accept = (token: string, extra: Record<string, string> = {}) =>
    new Client(url).post("/invites/accept", { token, name: "Invitee", password: `pw-${uid()}-long`, ...extra });
  async function memberByEmail(email: string): Promise<Json> {
    return expectStatus(await team.owner.get("/members"), 200).data.find((m: Json) => m.user.email === email);
  }

  describe("an invited editor", () => {
    const email = `New.Person-${uid()}@Example.test`;
    const password = `pw-${uid()}-long-enough`;
    let link: string;
    let session: Client;

    it("is invited by email and gets a one-time link to this server", async () => {
      const invite = expectStatus(await team.session.post("/invites", { email, role: "editor" }), 201);
      expect(invite).toMatchObject({ email: email.toLowerCase(), role: "editor" });
      expect(invite.link.startsWith(`${url}/invite/`)).toBe(true);
      expect(tokenOf(invite.link)).toMatch(LINK_TOKEN);
      expect(invite).not.toHaveProperty("token");
      link = invite.link;

      const pending = expectStatus(await team.owner.get("/invites"), 200);
      expect(pending.data).toContainEqual(expect.objectContaining({ id: invite.id, email: email.toLowerCase(), role: "editor", invitedBy: team.name }));
      expect(JSON.stringify(pending)).not.toContain(tokenOf(link));
    });

    it("accepts, signs in and has the invited role", async () => {
      expect(expectStatus(await accept(tokenOf(link), { name: "New Person", password }), 201)).toEqual({ email: email.toLowerCase() });
      session = await signIn(url, email.toLowerCase(), password);
      expect(expectStatus(await session.get("/team"), 200)).toMatchObject({ id: team.teamId, role: "editor" });
      expect(await memberByEmail(email.toLowerCase())).toMatchObject({ role: "editor", user: { name: "New Person" } });
      expect(expectStatus(await team.owner.get("/invites"), 200).data.map((i: Json) => i.email)).not.toContain(email.toLowerCase());

      // An editor edits, but does not manage people.
      expectStatus(await session.post("/sites", siteBody()), 201);
      expect(expectStatus(await session.get("/invites"), 403).error.code).toBe("forbidden");
      expect((await session.post("/invites", { email: `x-${uid()}@example.test`, role: "owner" })).status).toBe(403);
    });

    it("the link works only once", async () => {
      const again = expectStatus(await accept(tokenOf(link)), 422);
      expect(again.error.fields).toEqual([expect.objectContaining({ path: "token" })]);
      const members = expectStatus(await team.owner.get("/members"), 200);
      expect(members.data.filter((m: Json) => m.user.email === email.toLowerCase())).toHaveLength(1);
    });

    it("a role change applies to the member's next request", async () => {
      const member = await memberByEmail(email.toLowerCase());
      expect(expectStatus(await team.session.patch(`/members/${member.id}`, { role: "viewer" }), 200)).toMatchObject({ id: member.id, role: "viewer" });
      expect(expectStatus(await session.get("/team"), 200).role).toBe("viewer");
      expect(expectStatus(await session.post("/sites", siteBody()), 403).error.code).toBe("forbidden");
      expectStatus(await session.get("/sites"), 200);
    });

    it("once removed, the member's session loses access at once", async () => {
      const member = await memberByEmail(email.toLowerCase());
      expect((await team.owner.delete(`/members/${member.id}`)).status).toBe(204);
      expect(await memberByEmail(email.toLowerCase())).toBeUndefined();
      for (const reply of [await session.get("/team"), await session.get("/sites"), await session.post("/sites", siteBody())]) {
        expect([401, 403]).toContain(reply.status);
      }
      expect((await session.get("/sites")).status).toBe(401);
    });
  });

  describe("invitations", () => {
    it("a withdrawn or unknown link does not work", async () => {
      const invite = expectStatus(await team.owner.post("/invites", { email: `withdrawn-${uid()}@example.test`, role: "viewer" }), 201);
      expect((await team.session.delete(`/invites/${invite.id}`)).status).toBe(204);
      expect((await team.session.delete(`/invites/${invite.id}`)).status).toBe(404);
      expect(expectStatus(await accept(tokenOf(invite.link)), 422).error.fields[0].path).toBe("token");
      expect(expectStatus(await accept("x".repeat(32)), 422).error.fields[0].path).toBe("token");
    });

    it("inviting someone who is already a member → 409 naming email", async () => {
      const reply = expectStatus(await team.session.post("/invites", { email: team.email.toUpperCase(), role: "viewer" }), 409);
      expect(reply.error.fields).toEqual([expect.objectContaining({ path: "email" })]);
    });

    it("someone with an account elsewhere joins with their own password, and can switch teams", async () => {
      const other = await signUp(url);
      const invite = expectStatus(await team.owner.post("/invites", { email: other.email, role: "publisher" }), 201);
      expect(expectStatus(await accept(tokenOf(invite.link), { password: "not-their-password" }), 401).error.code).toBe("unauthorized");
      expectStatus(await accept(tokenOf(invite.link), { name: "Ignored", password: other.password }), 201);

      const session = await signIn(url, other.email, other.password);
      // Their first team stays the default; the team cookie picks the other one.
      expect(expectStatus(await session.get("/team"), 200)).toMatchObject({ id: other.teamId, role: "owner" });
      session.cookies.set("tagpipe_team", team.teamId);
      expect(expectStatus(await session.get("/team"), 200)).toMatchObject({ id: team.teamId, role: "publisher" });
      // A team cookie naming a team they are not in is ignored.
      session.cookies.set("tagpipe_team", `c${uid()}`);
      expect(expectStatus(await session.get("/team"), 200).id).toBe(other.teamId);
      expect((await memberByEmail(other.email)).user.name).toBe(other.name);
    });
  });

  describe("owners", () => {
    it("the last owner cannot be demoted or removed; with a second owner they can", async () => {
      const own = await memberByEmail(team.email);
      expect(own.role).toBe("owner");
      for (const role of ["publisher", "editor", "viewer"]) {
        const reply = expectStatus(await team.session.patch(`/members/${own.id}`, { role }), 409);
        expect(reply.error.message).toMatch(/owner/);
      }
      expect(expectStatus(await team.owner.delete(`/members/${own.id}`), 409).error.code).toBe("conflict");
      expect((await memberByEmail(team.email)).role).toBe("owner");

      // Promote someone, then the first owner may step down; the new one is then the last.
      const invite = expectStatus(await team.owner.post("/invites", { email: `second-${uid()}@example.test`, role: "editor" }), 201);
      expectStatus(await accept(tokenOf(invite.link)), 201);
      const second = await memberByEmail(invite.email);
      expectStatus(await team.owner.patch(`/members/${second.id}`, { role: "owner" }), 200);
      expectStatus(await team.owner.patch(`/members/${own.id}`, { role: "publisher" }), 200);
      expect(expectStatus(await team.owner.patch(`/members/${second.id}`, { role: "viewer" }), 409).error.code).toBe("conflict");
      expect((await team.owner.delete(`/members/${second.id}`)).status).toBe(409);
      // The demoted first owner's session now has publisher rights only.
      expect(expectStatus(await team.session.get("/team"), 200).role).toBe("publisher");
      expect((await team.session.get("/tokens")).status).toBe(403);
    });
  });
});
