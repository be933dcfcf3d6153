// Approvals over real HTTP on PostgreSQL: where the team requires it, production takes a
// request (editor or publisher, with a note) approved by another publisher or owner —
// approving publishes, rejecting does not; the requester cannot decide their own and a
// viewer cannot decide at all; a direct publish to production is refused (a rollback to
// what production served before is not); every step is in the audit log, the people
// concerned are notified in the dashboard, and the site's alert channels hear of it.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { Client, addMember, expectStatus, newTeam, signIn, siteBody, uid, type Json, type Team } from "../helpers/api";
import { WebhookReceiver } from "../helpers/alert-receivers";
import { eventually } from "../helpers/pipeline";

describe.each(inject("servers"))("approvals on $name", ({ url }) => {
  let team: Team;
  let hooks: WebhookReceiver;
  let hookPath = "";
  const people: Record<"editor" | "publisher" | "viewer", { client: Client; userId: string; name: string }> = {} as never;
  let containerId = "";
  let envs: Record<string, Json> = {};
  const versions: Json[] = [];

  /** A new version of the draft (a new constant variable makes it differ). */
  async function newVersion(): Promise<Json> {
    expectStatus(await team.owner.post(`/containers/${containerId}/variables`, { name: `Constant ${uid()}`, definition: { kind: "constant", value: "1" } }), 201);
    const v = expectStatus(await team.owner.post(`/containers/${containerId}/versions`, { note: `v${versions.length + 1}` }), 201);
    versions.push(v);
    return v;
  }
  const live = async () => expectStatus(await team.owner.get(`/environments/${envs.production.id}`), 200).versionId;
  const auditOf = async (requestId: string) => expectStatus(await team.owner.get(`/audit?entityType=publish_request&entityId=${requestId}`), 200).data;

  beforeAll(async () => {
    hooks = await new WebhookReceiver().start();
    team = await newTeam(url);
    for (const role of ["editor", "publisher", "viewer"] as const) {
      const m = await addMember(team, role);
      people[role] = { client: await signIn(url, m.email, m.password), userId: m.userId, name: m.name };
    }
    const site = expectStatus(await team.owner.post("/sites", siteBody()), 201);
    containerId = site.container.id;
    envs = Object.fromEntries(site.container.environments.map((e: Json) => [e.kind, e]));
    hookPath = `/approvals-${uid()}`;
    const secret = randomBytes(16).toString("hex");
    hooks.secrets.set(hookPath, secret);
    expectStatus(await team.owner.post(`/sites/${site.id}/alert-channels`, { kind: "webhook", name: "Releases", url: `${hooks.url}${hookPath}`, secret }), 201);
    // v1 reaches production before the rule: something to roll back to later.
    const v1 = await newVersion();
    expectStatus(await team.owner.post(`/versions/${v1.id}/publish`, { environmentId: envs.production.id }), 201);
  });

  afterAll(async () => {
    await hooks?.close();
  });

  it("only owners set the rule; it is audited", async () => {
    expect(expectStatus(await people.publisher.client.patch("/team", { productionNeedsApproval: true }), 403).error.code).toBe("forbidden");
    const team1 = expectStatus(await team.session.patch("/team", { productionNeedsApproval: true }), 200);
    expect(team1.productionNeedsApproval).toBe(true);
    expect(expectStatus(await team.owner.get("/team"), 200).productionNeedsApproval).toBe(true);
    const [entry] = expectStatus(await team.owner.get("/audit?entityType=team&limit=1"), 200).data;
    expect(entry).toMatchObject({ action: "require_approval", summary: `changed the publishing rule of team ${team.teamName}`, changes: ["production needs approval: no → yes"] });
    expect(expectStatus(await team.session.patch("/team", {}), 422).error.fields[0].path).toBe("name");
  });

  it("publishing to production directly is refused; staging is not", async () => {
    const v2 = await newVersion();
    const refused = expectStatus(await people.publisher.client.post(`/versions/${v2.id}/publish`, { environmentId: envs.production.id }), 409);
    expect(refused.error).toMatchObject({ code: "approval_required", fields: [{ path: "environmentId", message: "production needs an approved publish request" }] });
    expect(await live()).toBe(versions[0].id);
    expectStatus(await people.publisher.client.post(`/versions/${v2.id}/publish`, { environmentId: envs.staging.id }), 201);
  });

  it("an editor asks with a note; the publisher is notified; approving publishes, with audit entries and a message to the channel", async () => {
    const v = versions[1];
    const asked = expectStatus(await people.editor.client.post(`/containers/${containerId}/publish-requests`, { versionId: v.id, environmentId: envs.production.id, note: "checked on staging" }), 201);
    expect(asked).toMatchObject({ status: "pending", note: "checked on staging", requesterUserId: people.editor.userId, version: { number: 2 }, environment: { name: "production" } });
    // A second request for the same version waits behind the first.
    expect(expectStatus(await people.editor.client.post(`/containers/${containerId}/publish-requests`, { versionId: v.id, environmentId: envs.production.id }), 409).error.fields[0].path).toBe("versionId");

    const inbox = expectStatus(await people.publisher.client.get("/notifications"), 200);
    expect(inbox.unread).toBeGreaterThanOrEqual(1);
    expect(inbox.data[0]).toMatchObject({ message: expect.stringContaining(`${people.editor.name} asks to publish`), href: expect.stringContaining(`request=${asked.id}`) });

    // The requester cannot approve their own request; a viewer cannot decide at all.
    expect(expectStatus(await people.editor.client.post(`/publish-requests/${asked.id}/approve`, {}), 403).error.code).toBe("forbidden");
    expect(expectStatus(await people.viewer.client.post(`/publish-requests/${asked.id}/approve`, {}), 403).error.code).toBe("forbidden");
    expect(expectStatus(await people.viewer.client.get(`/publish-requests/${asked.id}`), 200).status).toBe("pending");
    expect(await live()).toBe(versions[0].id);

    const approved = expectStatus(await people.publisher.client.post(`/publish-requests/${asked.id}/approve`, { comment: "looks right" }), 201);
    expect(approved).toMatchObject({ status: "approved", deciderLabel: people.publisher.name, comment: "looks right", publication: { version: 2, environment: "production" } });
    expect(await live()).toBe(v.id);
    // Decided once: a second decision is a conflict.
    expect(expectStatus(await team.session.post(`/publish-requests/${asked.id}/reject`, { comment: "late" }), 409).error.code).toBe("conflict");

    const audit = await auditOf(asked.id);
    expect(audit.map((e: Json) => [e.action, e.actorLabel])).toEqual([
      ["approve", people.publisher.name],
      ["request_publish", people.editor.name],
    ]);
    expect(audit[0].changes).toEqual(["v2 to production", "comment: “looks right”"]);
    expect(audit[1].changes).toEqual(["v2 to production", "note: “checked on staging”"]);
    const [publish] = expectStatus(await team.owner.get(`/audit?entityType=environment&entityId=${envs.production.id}&limit=1`), 200).data;
    expect(publish).toMatchObject({ action: "publish", actorLabel: people.publisher.name, changes: ["now serves v2 (was v1)", `note: “checked on staging (approved by ${people.publisher.name})”`] });

    const editorInbox = expectStatus(await people.editor.client.get("/notifications"), 200);
    expect(editorInbox.data[0].message).toMatch(new RegExp(`^${people.publisher.name} approved and published .* v2 to production: “looks right”$`));
    expect(expectStatus(await people.editor.client.post("/notifications/read", {}), 201).read).toBeGreaterThanOrEqual(1);
    expect(expectStatus(await people.editor.client.get("/notifications"), 200).unread).toBe(0);

    await eventually(async () => hooks.at(hookPath).some((h) => h.body.type === "publish.approved"), 10_000, "the approval through the alert channel");
    const sent = hooks.at(hookPath).map((h) => h.body.type);
    expect(sent).toEqual(expect.arrayContaining(["publish.requested", "publish.approved"]));
    expect(hooks.at(hookPath).every((h) => h.verified)).toBe(true);
  });

  it("rejecting needs a comment and publishes nothing", async () => {
    const v3 = await newVersion();
    const asked = expectStatus(await people.publisher.client.post(`/containers/${containerId}/publish-requests`, { versionId: v3.id, environmentId: envs.production.id, note: "new pixel" }), 201);
    // The requester, a publisher, may not decide their own request either way.
    for (const decision of ["approve", "reject"]) {
      const own = expectStatus(await people.publisher.client.post(`/publish-requests/${asked.id}/${decision}`, { comment: "mine" }), 403);
      expect(own.error.message).toMatch(/You asked for this publish/);
    }
    const missing = expectStatus(await team.session.post(`/publish-requests/${asked.id}/reject`, {}), 422);
    expect(missing.error.fields).toEqual([{ path: "comment", message: "say why it is rejected, so the requester can fix it" }]);
    const rejected = expectStatus(await team.session.post(`/publish-requests/${asked.id}/reject`, { comment: "wrong pixel id" }), 201);
    expect(rejected).toMatchObject({ status: "rejected", comment: "wrong pixel id", deciderLabel: team.name });
    expect(rejected.publication).toBeUndefined();
    expect(await live()).toBe(versions[1].id);
    expect((await auditOf(asked.id)).map((e: Json) => e.action)).toEqual(["reject", "request_publish"]);
    expect(expectStatus(await people.publisher.client.get("/notifications"), 200).data[0].message).toMatch(/rejected .* v3 to production: “wrong pixel id”$/);
    const listed = expectStatus(await team.owner.get(`/containers/${containerId}/publish-requests`), 200).data;
    expect(listed.map((r: Json) => [r.version.number, r.status])).toEqual([
      [3, "rejected"],
      [2, "approved"],
    ]);
  });

  it("bad requests name the field; other teams' ids answer 404", async () => {
    const v3 = versions[2];
    const staging = expectStatus(await people.editor.client.post(`/containers/${containerId}/publish-requests`, { versionId: v3.id, environmentId: envs.staging.id }), 422);
    expect(staging.error.fields[0]).toMatchObject({ path: "environmentId", message: expect.stringContaining("not production") });
    expect(expectStatus(await people.editor.client.post(`/containers/${containerId}/publish-requests`, { versionId: "nope", environmentId: envs.production.id }), 422).error.fields[0].path).toBe("versionId");
    expect(expectStatus(await people.editor.client.post(`/containers/${containerId}/publish-requests`, { environmentId: envs.production.id }), 422).error.fields[0].path).toBe("versionId");
    expect(expectStatus(await people.viewer.client.post(`/containers/${containerId}/publish-requests`, { versionId: v3.id, environmentId: envs.production.id }), 403).error.code).toBe("forbidden");
    const other = await newTeam(url);
    const [request] = expectStatus(await team.owner.get(`/containers/${containerId}/publish-requests`), 200).data;
    expectStatus(await other.owner.get(`/publish-requests/${request.id}`), 404);
    expectStatus(await other.owner.post(`/publish-requests/${request.id}/approve`, {}), 404);
  });

  it("a rollback to a version production served before goes straight, even under the rule", async () => {
    const back = expectStatus(await team.session.post(`/versions/${versions[0].id}/publish`, { environmentId: envs.production.id, note: "back" }), 201);
    expect(back).toMatchObject({ version: 1, rollback: true });
    // v3 never went live: publishing it is no rollback and still needs approval.
    expectStatus(await team.session.post(`/versions/${versions[2].id}/publish`, { environmentId: envs.production.id }), 409);
  });
});
