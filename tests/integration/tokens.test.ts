// API tokens: the secret is in the create response and nowhere else (not in lists, not
// in the audit log, not in the database: only its SHA-256 is stored); tokens carry their
// role; they expire and can be revoked.
import { createHash } from "node:crypto";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, createToken, expectStatus, newTeam, siteBody, uid, type Json, type Team } from "../helpers/api";
import { queryDatabase } from "../helpers/postgres";

const servers = inject("servers");
const sha256 = (value: string) => createHash("sha256").update(value).digest("hex");

describe.each(servers)("API tokens on $name", ({ url }) => {
  let team: Team;

  beforeAll(async () => {
    team = await newTeam(url);
  });

  it("shows the secret once: in the create response only", async () => {
    const created = expectStatus(await team.session.post("/tokens", { name: "deploy", role: "publisher" }), 201);
    expect(created).toMatchObject({ name: "deploy", role: "publisher", expiresAt: null, revokedAt: null, createdBy: { name: team.name } });
    expect(created.secret).toMatch(/^tpk_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.secret.slice(0, 12));

    const list = await team.session.get("/tokens");
    const listed = expectStatus(list, 200).data.find((t: Json) => t.id === created.id);
    expect(listed).toMatchObject({ name: "deploy", role: "publisher", prefix: created.prefix });
    expect(Object.keys(listed).sort()).toEqual(["createdAt", "createdBy", "expiresAt", "id", "lastUsedAt", "name", "prefix", "revokedAt", "role"]);
    for (const text of [list.text, (await team.owner.get("/audit?limit=200")).text, (await team.owner.get("/tokens")).text]) {
      expect(text).not.toContain(created.secret);
      expect(text).not.toContain(sha256(created.secret));
      expect(text).not.toContain("tokenHash");
    }
  });

  it("acts with its own role in its own team, and records when it was used", async () => {
    const token = await createToken(team.owner, "editor", { name: "editor-bot" });
    const client = new Client(url, token.secret);
    expect(expectStatus(await client.get("/team"), 200)).toMatchObject({ id: team.teamId, role: "editor" });
    expectStatus(await client.post("/sites", siteBody()), 201);
    expect((await client.get("/tokens")).status).toBe(403);
    const listed = expectStatus(await team.owner.get("/tokens"), 200).data.find((t: Json) => t.id === token.id);
    expect(Date.parse(listed.lastUsedAt)).toBeGreaterThan(Date.now() - 60_000);
  });

  it("expiresInDays sets the expiry; revoking answers 204 once and then 404", async () => {
    const created = expectStatus(await team.owner.post("/tokens", { name: "short", role: "viewer", expiresInDays: 7 }), 201);
    const expected = Date.now() + 7 * 86_400_000;
    expect(Math.abs(Date.parse(created.expiresAt) - expected)).toBeLessThan(60_000);
    const client = new Client(url, created.secret);
    expectStatus(await client.get("/sites"), 200);

    expect((await team.owner.delete(`/tokens/${created.id}`)).status).toBe(204);
    expect((await client.get("/sites")).status).toBe(401);
    expect((await team.owner.delete(`/tokens/${created.id}`)).status).toBe(404);
    const listed = expectStatus(await team.owner.get("/tokens"), 200).data.find((t: Json) => t.id === created.id);
    expect(listed.revokedAt).not.toBeNull();
  });

  it("a token created with a token is credited to the same person", async () => {
    const made = await createToken(team.owner, "viewer");
    const listed = expectStatus(await team.owner.get("/tokens"), 200).data.find((t: Json) => t.id === made.id);
    expect(listed.createdBy).toEqual({ name: team.name });
  });
});

// These look at the rows the server stored.
describe("API tokens in the PostgreSQL database", () => {
  const postgres = servers.find((s) => s.name === "postgres")!;
  let team: Team;

  beforeAll(async () => {
    team = await newTeam(postgres.url);
  });

  it("stores only the SHA-256 of the secret", async () => {
    const token = await createToken(team.owner, "viewer");
    const rows = await queryDatabase(postgres.databaseUrl!, 'SELECT * FROM "ApiToken" WHERE id = $1', [token.id]);
    expect(rows).toHaveLength(1);
    expect(rows[0].tokenHash).toBe(sha256(token.secret));
    expect(rows[0].tokenHash).not.toBe(token.secret);
    expect(JSON.stringify(rows[0])).not.toContain(token.secret);
    expect(rows[0].prefix).toBe(token.secret.slice(0, 12));
  });

  it("an expired token is refused", async () => {
    const token = await createToken(team.owner, "viewer", { expiresInDays: 1 });
    const client = new Client(postgres.url, token.secret);
    expectStatus(await client.get("/sites"), 200);
    await queryDatabase(postgres.databaseUrl!, `UPDATE "ApiToken" SET "expiresAt" = now() - interval '1 second' WHERE id = $1`, [token.id]);
    expect(expectStatus(await client.get("/sites"), 401).error.code).toBe("unauthorized");
  });

  it("stores invitation links and passwords hashed too", async () => {
    const invite = expectStatus(await team.owner.post("/invites", { email: `hashed-${uid()}@example.test`, role: "viewer" }), 201);
    const secret = invite.link.split("/").pop();
    const [row] = await queryDatabase(postgres.databaseUrl!, 'SELECT * FROM "Invite" WHERE id = $1', [invite.id]);
    expect(row.tokenHash).toBe(sha256(secret));
    expect(JSON.stringify(row)).not.toContain(secret);
    const [user] = await queryDatabase(postgres.databaseUrl!, 'SELECT * FROM "User" WHERE email = $1', [team.email]);
    expect(user.passwordHash).toMatch(/^\$2[aby]\$11\$/);
    expect(JSON.stringify(user)).not.toContain(team.password);
  });
});
