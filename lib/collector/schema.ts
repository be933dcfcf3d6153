// The shape of collected events, shared by the browser endpoint (/api/collect) and the
// server endpoint (/api/v1/events). Structural problems (wrong types, unknown keys, sizes)
// refuse the whole request with a 4xx and store nothing; problems against the event
// definitions are per event (lib/collector/validate.ts) and stored as rejected.
import { z } from "zod";

// PostgreSQL stores neither NUL characters (text and jsonb) nor lone UTF-16 surrogates
// (jsonb): such a string is refused here, naming its field, instead of failing the group
// commit it would share with other requests. A parsed body can hold one only if its text
// has a \u escape, a raw NUL or a lone surrogate; the intake checks the text once
// (mayHoldUnstorable) and validates the common body with the same schemas minus the
// per-string check, which was two thirds of the validation's time.
const storable = (s: string) => !s.includes("\u0000") && s.isWellFormed();

/** Whether a body's text could parse into a string PostgreSQL cannot store. */
export function mayHoldUnstorable(body: string): boolean {
  return body.includes("\\u") || body.includes("\u0000") || !body.isWellFormed();
}

type Problem = { path: (string | number)[]; message: string };

/** Why a scalar parameter value (string ≤ 1000, number, boolean, null) is not one, or null. `checked`: also storable. */
function scalarProblem(v: unknown, checked: boolean): string | null {
  if (v === null || typeof v === "boolean" || (typeof v === "number" && Number.isFinite(v))) return null;
  if (typeof v !== "string") return "must be a string, number, boolean or null";
  if (v.length > 1000) return "must be at most 1000 characters";
  return !checked || storable(v) ? null : "must not contain NUL characters or unpaired surrogates";
}

/** An object of scalars (an item of `contents`): keys ≤ 40 characters. */
function objectProblems(o: object, at: (string | number)[], out: Problem[], checked: boolean): void {
  for (const [k, v] of Object.entries(o)) {
    if (k.length > 40 || (checked && !storable(k))) out.push({ path: [...at, k], message: "must be a key of at most 40 characters" });
    else {
      const problem = scalarProblem(v, checked);
      if (problem) out.push({ path: [...at, k], message: problem });
    }
  }
}

/**
 * Parameter values: a scalar, a list (≤ 200) of scalars or small objects (contents), or a
 * small object. Checked by hand rather than as a zod union: a union records an issue for
 * every option that fails before one fits, and this runs for every parameter of every
 * event (it was a quarter of the intake's validation time).
 */
function paramProblems(value: unknown, checked: boolean): Problem[] {
  const out: Problem[] = [];
  if (Array.isArray(value)) {
    if (value.length > 200) out.push({ path: [], message: "must have at most 200 items" });
    value.forEach((item, i) => {
      if (item !== null && typeof item === "object" && !Array.isArray(item)) objectProblems(item, [i], out, checked);
      else {
        const problem = scalarProblem(item, checked);
        if (problem) out.push({ path: [i], message: problem });
      }
    });
  } else if (value !== null && typeof value === "object") objectProblems(value, [], out, checked);
  else {
    const problem = scalarProblem(value, checked);
    if (problem) out.push({ path: [], message: problem });
  }
  return out;
}

/** The collector's schemas; `checked`: with the per-string storable check (and the OpenAPI metadata). */
function build(checked: boolean) {
  const text = (max: number) => {
    const s = z.string().max(max, `must be at most ${max} characters`);
    return checked ? s.refine(storable, "must not contain NUL characters or unpaired surrogates") : s;
  };
  const meta = <S extends z.ZodType>(schema: S, data: Parameters<S["meta"]>[0]): S => (checked ? (schema.meta(data) as S) : schema);

  const userData = meta(
    z.strictObject({
      email: text(320).optional(),
      phone: text(64).optional(),
      first_name: text(200).optional(),
      last_name: text(200).optional(),
      city: text(200).optional(),
      state: text(200).optional(),
      zip: text(32).optional(),
      country: text(64).optional(),
      /** YYYY-MM-DD or YYYYMMDD (Meta db). */
      date_of_birth: text(32).optional(),
      /** f or m, or a word starting with either (Meta ge). */
      gender: text(32).optional(),
      external_id: text(200).optional(),
      fbp: text(200).optional(),
      fbc: text(500).optional(),
      ttp: text(200).optional(),
      ttclid: text(500).optional(),
      gclid: text(500).optional(),
      /** An fbclid seen on the landing page, "<ms>.<fbclid>" from the runtime: Meta's fbc is built of it when no fbc came. */
      fbclid: text(500).optional(),
      gbraid: text(500).optional(),
      wbraid: text(500).optional(),
      /** GA4's client id, or the _ga cookie it is read from (GA1.1.<client id>). */
      ga_client_id: text(100).optional(),
      /** GA4's session id, or the _ga_<container> cookie it is read from (GS1 and GS2 formats). */
      ga_session_id: text(200).optional(),
      client_ip_address: text(64).optional(),
      client_user_agent: text(1000).optional(),
    }),
    { id: "CollectUserData", description: "Raw identifiers; hashed at intake, never stored raw" },
  );

  const params = meta(
    z.record(text(40), z.unknown()).superRefine((p, ctx) => {
      if (Object.keys(p).length > 50) ctx.addIssue({ code: "custom", message: "has more than 50 parameters" });
      for (const [key, value] of Object.entries(p)) {
        for (const problem of paramProblems(value, checked)) ctx.addIssue({ code: "custom", path: [key, ...problem.path], message: problem.message });
      }
    }),
    { description: "Parameter values: a string (≤ 1000), number, boolean or null; a list (≤ 200) of those or of objects of them; or an object of them" },
  );

  const collectedEvent = meta(
    z.strictObject({
      event_id: text(128).min(1, "is required"),
      name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a tracking plan event name such as purchase"),
      /** Unix seconds, unix milliseconds, or an ISO 8601 date. Defaults to now. */
      event_time: z.union([z.number(), text(40)]).optional(),
      /** Browser timestamp in milliseconds (the runtime sends this). */
      ts: z.number().optional(),
      params: params.default({}),
      user_data: userData.optional(),
      page: z.strictObject({ url: text(2000).optional(), referrer: text(2000).optional(), title: text(300).optional() }).optional(),
      region: text(32).optional(),
      consent: z
        .strictObject({
          ad_storage: z.enum(["granted", "denied"]).optional(),
          analytics_storage: z.enum(["granted", "denied"]).optional(),
          /** Google's consent mode v2: may the visitor's data be sent to Google for ads, and used to personalize them. */
          ad_user_data: z.enum(["granted", "denied"]).optional(),
          ad_personalization: z.enum(["granted", "denied"]).optional(),
        })
        .optional(),
      test: z.boolean().optional(),
      /**
       * The Google tags (GA4 measurement id, Google Ads "AW-…/label") whose script ran and
       * reported this event in the browser: their server copy is then not sent.
       */
      fired: z.array(text(120)).max(50).optional(),
      /**
       * The Google tags whose outcome was not known yet when the batch left (their script
       * still loading): their server copy waits for the follow-up report (`reports`).
       */
      pending: z.array(text(120)).max(50).optional(),
      /** Problems the browser runtime found while mapping (reported, stored with the event). */
      errors: z.array(z.union([text(300), z.record(text(40), text(300))])).max(20).optional(),
    }),
    { id: "CollectedEvent" },
  );

  /**
   * The runtime's follow-up on an event that left with `pending`: which of its Google tags
   * ran (`fired`, possibly none). It only settles the event's waiting fill-in deliveries.
   */
  const report = z.strictObject({
    event_id: text(128).min(1, "is required"),
    name: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/, "must be a tracking plan event name such as purchase"),
    fired: z.array(text(120)).max(50).default([]),
  });

  // Events may be absent when follow-up reports come alone (intake.ts asks for one or the other).
  const browserBatch = z.strictObject({
    key: text(64).min(1, "is required"),
    events: z.array(collectedEvent).max(100, "at most 100 events per request").default([]),
    reports: z.array(report).max(100, "at most 100 reports per request").optional(),
    sent_at: z.number().optional(),
  });

  const serverBatch = meta(z.strictObject({ events: z.array(collectedEvent).min(1, "needs at least one event").max(1000, "at most 1000 events per request") }), {
    id: "ServerEvents",
  });

  return { userData, collectedEvent, browserBatch, serverBatch };
}

/** The schemas with the per-string storable check (and the OpenAPI metadata). */
export const checked = build(true);
export const { userData, collectedEvent, browserBatch, serverBatch } = checked;
export type CollectedEventInput = z.infer<typeof collectedEvent>;

/** The same schemas without the per-string storable check: for bodies mayHoldUnstorable clears. */
export const unchecked = build(false);

/** Deepest nesting JSON.parse will be asked to keep: deeper bodies are refused before parsing further. */
export function tooDeep(text: string, limit = 8): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++;
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > limit) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}
