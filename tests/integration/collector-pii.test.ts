// Raw PII never lands anywhere: not in the database (every collector row scanned as
// text), not in the server's output, not in what the platforms receive. What they
// receive are SHA-256 digests of each platform's published normalization, computed here
// from the normalized strings independently of lib/collector/hash.ts.
import crypto from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Json } from "../helpers/api";
import { startCollector, type Collector } from "../helpers/collector";
import { allDestinations, collect, createPipeline, expectOutcome, purchase, sendServerEvents, type Pipeline } from "../helpers/pipeline";
import { startStandIns, type StandIns } from "../helpers/stand-ins";

const sha = (s: string) => crypto.createHash("sha256").update(s, "utf8").digest("hex");

const RAW = {
  email: "  Jane.Doe+Shop@Example.COM ",
  gmail: "John.Q.Smith@GMail.com",
  phone: "+49 (0)30 9876-5432",
  firstName: "Zoë",
  lastName: "O'Brien-Smith",
  city: "Frankfurt am Main",
  zip: "SW1A 1AA",
  externalId: "cust-8812-xq",
  dateOfBirth: "1987-03-09",
};

/** PII outside user_data: in params (nested), in the page URL's query and fragment, the referrer and the title. */
const STRAY = {
  paramEmail: "Param.Person@Example.net",
  paramPhone: "+44 20 7946 0958",
  url: (host: string) => `https://${host}/checkout/thanks?email=url.person%40example.org&phone=%2B4915112345678&first_name=Urlina&fbclid=IwARpii#/done?mail=frag.person@example.org`,
  referrer: (host: string) => `https://${host}/cart?e-mail=ref.person@example.org&step=2`,
  title: "Thanks, title.person@example.org",
};
const redactedUrl = (host: string) => `https://${host}/checkout/thanks?email=redacted&phone=redacted&first_name=redacted&fbclid=IwARpii#/done?mail=redacted`;

/** Every form a leak could take: as sent, trimmed, lower-cased, digits only, E.164. */
const NEEDLES = [
  "1987-03-09",
  "19870309",
  "Jane.Doe+Shop@Example.COM",
  "jane.doe+shop@example.com",
  "jane.doe",
  "John.Q.Smith",
  "john.q.smith",
  "johnqsmith@gmail.com",
  "+49 (0)30 9876-5432",
  "9876-5432",
  "98765432",
  "+493098765432",
  "Zoë",
  "zoë",
  "O'Brien",
  "obriensmith",
  "o'brien",
  "Frankfurt",
  "frankfurtammain",
  "SW1A",
  "sw1a1aa",
  "cust-8812-xq",
  "test@example.com",
  "5551234567",
  "Param.Person",
  "param.person",
  "2079460958",
  "20 7946 0958",
  "url.person",
  "4915112345678",
  "Urlina",
  "frag.person",
  "ref.person",
  "title.person",
];

describe("PII", () => {
  const backend = "postgres";
  let standIns: StandIns;
  let collector: Collector;
  let p: Pipeline;
  const sent: { browser: string; server: string; gmail: string; simple: string; stray: string } = { browser: "", server: "", gmail: "", simple: "", stray: "" };
  const orders: { browser: string; server: string } = { browser: "", server: "" };

  beforeAll(async () => {
    standIns = await startStandIns();
    collector = await startCollector({ name: `pii-${backend}`, backend, distDir: inject("distDir"), standIns });
    p = await createPipeline(collector.url, allDestinations(standIns));

    const full = { email: RAW.email, phone: RAW.phone, first_name: RAW.firstName, last_name: RAW.lastName, city: RAW.city, zip: RAW.zip, country: "GB", date_of_birth: RAW.dateOfBirth, gender: "Female", external_id: RAW.externalId };
    // The browser reports that its Google Ads tag ran for this purchase.
    const browser = purchase({ user_data: full, page: { url: `https://${p.hostname}/checkout/thanks` }, fired: ["AW-123456789/AbCdEfGh12"] });
    const server = purchase({ user_data: { ...full, country: "de" } });
    const gmail = purchase({ user_data: { email: RAW.gmail } });
    const simple = purchase({ user_data: { email: "test@example.com", phone: "+1 (555) 123-4567" } });
    const stray = purchase({
      params: { contact_email: STRAY.paramEmail, buyer: { phone: STRAY.paramPhone } },
      page: { url: STRAY.url(p.hostname), referrer: STRAY.referrer(p.hostname), title: STRAY.title },
    });
    Object.assign(orders, { browser: String(browser.params.order_id), server: String(server.params.order_id) });
    Object.assign(sent, { browser: browser.event_id, server: server.event_id, gmail: gmail.event_id, simple: simple.event_id, stray: stray.event_id });
    expectOutcome(await collect(collector.url, { publicKey: p.production.publicKey, origin: p.origin }, [browser, stray]), "accepted");
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [server, gmail, simple]), "accepted");
    // PII in events that are rejected, refused or dead-lettered must not leak either.
    expectOutcome(await sendServerEvents(collector.url, p.production.serverKey, [purchase({ params: { value: -1 }, user_data: full })]), "rejected");
    const refused = await sendServerEvents(collector.url, p.production.serverKey, [{ ...purchase({ user_data: full }), unknown_field: RAW.email }]);
    expect(refused.status).toBe(422);
    expect(refused.text).not.toContain("Jane.Doe");
    const ids = [browser, server, gmail, simple, stray].map((e) => e.event_id);
    for (const s of [standIns.meta, standIns.tiktok, standIns.ga4, standIns.webhook]) await s.waitForDelivered(ids);
    await standIns.googleAds.waitFor(() => standIns.googleAds.deliveredEvents().length >= 5, 20_000, "five Google Ads conversions");
  });

  afterAll(async () => {
    await collector?.stop();
    await standIns?.close();
  });

  const metaEvent = (id: string) => standIns.meta.deliveredEvents().find((e) => e.event_id === id) as Json;
  const tiktokEvent = (id: string) => standIns.tiktok.deliveredEvents().find((e) => e.event_id === id) as Json;
  const ga4Request = (id: string) => standIns.ga4.acknowledged().find((r) => r.eventIds.includes(id))!.body as Json;

  it("Meta gets each field hashed per its rules (trimmed, lower-cased; phone digits with country code; names without punctuation; city without spaces; date of birth YYYYMMDD; gender f/m)", () => {
    const u = metaEvent(sent.browser).user_data;
    expect(u.em).toEqual([sha("jane.doe+shop@example.com")]);
    // "(0)" is the trunk prefix written beside an international number: it goes.
    expect(u.ph).toEqual([sha("493098765432")]);
    expect(u.fn).toEqual([sha("zoë")]);
    expect(u.ln).toEqual([sha("obriensmith")]);
    expect(u.ct).toEqual([sha("frankfurtammain")]);
    expect(u.zp).toEqual([sha("sw1a1aa")]);
    expect(u.country).toEqual([sha("gb")]);
    expect(u.db).toEqual([sha("19870309")]);
    expect(u.ge).toEqual([sha("f")]);
    expect(u.external_id).toEqual([sha("cust-8812-xq")]);
    expect(metaEvent(sent.server).user_data.country).toEqual([sha("de")]);
    // The published example: sha256("test@example.com").
    expect(metaEvent(sent.simple).user_data.em).toEqual(["973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"]);
    expect(metaEvent(sent.simple).user_data.ph).toEqual([sha("15551234567")]);
    // Meta keeps the dots of a Gmail address.
    expect(metaEvent(sent.gmail).user_data.em).toEqual([sha("john.q.smith@gmail.com")]);
  });

  it("TikTok gets the email and the E.164 phone hashed", () => {
    const user = tiktokEvent(sent.browser).user;
    expect(user.email).toBe(sha("jane.doe+shop@example.com"));
    expect(user.phone).toBe(sha("+493098765432"));
    expect(user.external_id).toBe(sha("cust-8812-xq"));
    expect(tiktokEvent(sent.simple).user.phone).toBe(sha("+15551234567"));
  });

  it("GA4 and Google Ads get Google's normalization: E.164 phone, and no dots in a Gmail local part", () => {
    expect(ga4Request(sent.browser).user_data).toMatchObject({
      sha256_email_address: [sha("jane.doe+shop@example.com")],
      sha256_phone_number: [sha("+493098765432")],
      address: [{ sha256_first_name: sha("zoë"), sha256_last_name: sha("obriensmith") }],
    });
    expect(ga4Request(sent.gmail).user_data.sha256_email_address).toEqual([sha("johnqsmith@gmail.com")]);
    const ads = standIns.googleAds.deliveredEvents() as Json[];
    const identifiers = ads.flatMap((c) => c.userIdentifiers);
    expect(identifiers).toContainEqual({ hashedEmail: sha("johnqsmith@gmail.com") });
    expect(identifiers).toContainEqual({ hashedEmail: sha("jane.doe+shop@example.com") });
    expect(identifiers).toContainEqual({ hashedPhoneNumber: sha("+493098765432") });
    // The browser's purchase was reported by the Google Ads tag: the server enhances it by
    // its order id; the backend's purchase is uploaded as a click conversion.
    const method = (order: string) => standIns.googleAds.received.filter((r) => r.acknowledged && r.eventIds.includes(order)).map((r) => r.path.split(":").pop());
    expect(method(orders.browser)).toEqual(["uploadConversionAdjustments"]);
    expect(method(orders.server)).toEqual(["uploadClickConversions"]);
    expect(ads.find((c) => c.orderId === orders.browser)).toMatchObject({
      adjustmentType: "ENHANCEMENT",
      userIdentifiers: [
        { hashedEmail: sha("jane.doe+shop@example.com"), userIdentifierSource: "FIRST_PARTY" },
        { hashedPhoneNumber: sha("+493098765432"), userIdentifierSource: "FIRST_PARTY" },
      ],
    });
  });

  it("PII in params, the page URL, the referrer or the title is hashed or redacted before it is stored or sent; click ids stay", () => {
    const host = p.hostname;
    expect(metaEvent(sent.stray).event_source_url).toBe(redactedUrl(host));
    // fbc still comes from the fbclid of the URL as it arrived.
    expect(metaEvent(sent.stray).user_data.fbc).toMatch(/^fb\.1\.\d+\.IwARpii$/);
    expect(tiktokEvent(sent.stray).page).toEqual({ url: redactedUrl(host), referrer: `https://${host}/cart?e-mail=redacted&step=2` });
    expect((ga4Request(sent.stray).events as Json[])[0].params.page_location).toBe(redactedUrl(host));
    const hooked = standIns.webhook.deliveredEvents().find((e) => e.event_id === sent.stray) as Json;
    expect(hooked.params).toMatchObject({ contact_email: sha("param.person@example.net"), buyer: { phone: sha("442079460958") } });
    expect(hooked.page).toEqual({ url: redactedUrl(host), referrer: `https://${host}/cart?e-mail=redacted&step=2`, title: "Thanks, redacted" });
  });

  it("no raw PII in anything the platforms received", () => {
    const payloads = standIns.rawBodies().join("\n");
    expect(payloads.length).toBeGreaterThan(1000);
    for (const needle of NEEDLES) expect(payloads, needle).not.toContain(needle);
  });

  it("no raw PII in the server's output, and none in the database (every collector row as text)", async () => {
    const logs = collector.logs();
    expect(logs).toContain("[tagpipe] ready");
    for (const needle of NEEDLES) expect(logs, needle).not.toContain(needle);
    const tables = ["CollectedEvent", "Delivery"];
    let scanned = 0;
    for (const table of tables) {
      const rows = await collector.query<{ row: string }>(`SELECT row_to_json(t)::text AS row FROM "${table}" t`);
      scanned += rows.length;
      const text = rows.map((r) => r.row).join("\n");
      for (const needle of NEEDLES) expect(text, `${needle} in ${table}`).not.toContain(needle);
    }
    // Six events stored (one of them rejected); the five accepted ones with a delivery per destination (five).
    expect(scanned).toBe(6 + 5 * 5);
  });
});
