// GET /sites/{id}/tracking-plan (JSON) and its Markdown and HTML downloads, over real HTTP
// on a container with a mapped event, a trigger with a condition, a destination that
// renames the event, and items with and without an owner.
import { beforeAll, describe, expect, inject, it } from "vitest";
import { Client, expectStatus, newTeam, siteBody, type Json, type Team } from "../helpers/api";

describe.each(inject("servers"))("tracking-plan documentation on $name", ({ url }) => {
  let team: Team;
  let api: Client;
  let siteId = "";

  beforeAll(async () => {
    team = await newTeam(url);
    api = team.owner;
    const site = expectStatus(await api.post("/sites", siteBody({ name: "Docs Shop" })), 201);
    siteId = site.id;
    const c = site.container.id as string;
    const purchase = expectStatus(await api.post("/plan/events", { preset: "purchase" }), 201);
    expectStatus(await api.patch(`/plan/events/${purchase.id}`, { revision: purchase.revision, ownerId: team.userId, description: "A paid order" }), 200);
    const value = expectStatus(await api.post(`/containers/${c}/variables`, { name: "order total", ownerId: team.userId, definition: { kind: "data_layer", path: "ecommerce.value" } }), 201);
    const email = expectStatus(await api.post(`/containers/${c}/variables`, { name: "email", definition: { kind: "data_layer", path: "user.email" } }), 201);
    const trigger = expectStatus(
      await api.post(`/containers/${c}/triggers`, {
        name: "Purchase on thank-you",
        definition: { type: "data_layer_event", eventName: "purchase", conditions: [{ source: "page_path", operator: "starts_with", value: "/thanks" }] },
      }),
      201,
    );
    const event = expectStatus(await api.post(`/containers/${c}/events`, { planEventId: purchase.id, triggerIds: [trigger.id], mappings: { value: value.id, "user_data.email": email.id } }), 201);
    expectStatus(
      await api.post(`/containers/${c}/destinations`, {
        name: "Meta pixel",
        ownerId: team.userId,
        definition: { platform: "meta", ids: { pixelId: "1234567890" }, events: [{ eventId: event.id, name: "CompletedOrder" }] },
      }),
      201,
    );
  });

  it("answers each event with its parameters and sources, triggers in words, destinations and names there, owner and last change", async () => {
    const doc = expectStatus(await api.get(`/sites/${siteId}/tracking-plan`), 200);
    expect(doc.site).toMatchObject({ id: siteId, name: "Docs Shop" });
    const purchase = doc.events.find((e: Json) => e.name === "purchase");
    expect(purchase.description).toBe("A paid order");
    expect(purchase.owner).toBe(team.name);
    expect(purchase.parameters).toContainEqual({ name: "value", type: "number", required: true, source: "order total: data layer ecommerce.value" });
    expect(purchase.userData).toEqual([{ field: "email", source: "email: data layer user.email" }]);
    expect(purchase.triggers).toEqual([{ name: "Purchase on thank-you", words: 'When the data layer receives the event "purchase" and the page path starts with "/thanks"' }]);
    expect(purchase.destinations).toEqual([{ name: "Meta pixel", platform: "Meta", eventName: "CompletedOrder" }]);
    expect(purchase.lastChange.action).toBe("create");
    expect(purchase.lastChange.by).toContain(team.ownerTokenName);
    expect(doc.unowned).toEqual(expect.arrayContaining([{ kind: "trigger", name: "Purchase on thank-you" }, { kind: "variable", name: "email" }]));
    expect(doc.unowned).not.toContainEqual({ kind: "variable", name: "order total" });
    expect(doc.unowned).not.toContainEqual(expect.objectContaining({ kind: "destination" }));
  });

  it("downloads the document as Markdown and as a standalone HTML page", async () => {
    const md = await api.fetch(`/api/v1/sites/${siteId}/tracking-plan/markdown`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(md.headers.get("content-disposition")).toBe('attachment; filename="tracking-plan-docs-shop.md"');
    const text = await md.text();
    expect(text).toContain("# Tracking plan: Docs Shop");
    expect(text).toContain("| Meta pixel | Meta | CompletedOrder |");

    const html = await api.fetch(`/api/v1/sites/${siteId}/tracking-plan/html`, { headers: { authorization: `Bearer ${api.token}` } });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await html.text()).toContain("<li><strong>Purchase on thank-you</strong>: When the data layer receives the event &quot;purchase&quot;");
  });

  it("answers 404 for a site of another team, as for one that does not exist", async () => {
    const other = await newTeam(url);
    const mine = await other.owner.get(`/sites/${siteId}/tracking-plan`);
    const none = await other.owner.get(`/sites/does-not-exist/tracking-plan`);
    expect(mine.status).toBe(404);
    expect(none.status).toBe(404);
    expect(mine.body).toEqual(none.body);
  });
});
