// User-data normalization and hashing (lib/collector/hash.ts), against digests computed
// outside this code base (Python's hashlib) for the platforms' normalized forms.
import { describe, expect, test } from "vitest";
import {
  hashUserData,
  normalizeCity,
  normalizeCountry,
  normalizeDateOfBirth,
  normalizeEmail,
  normalizeEmailForGoogle,
  normalizeGender,
  normalizeName,
  normalizePhone,
  normalizeState,
  normalizeZip,
  sha256,
} from "../../../lib/collector/hash";

const DIGEST = {
  "test@example.com": "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b",
  "15551234567": "d6736136ea896c1bfdc553e0e86e702c70d060d805696ca3e4e9e0961353860a",
  "+15551234567": "8a59780bb8cd2ba022bfa5ba2ea3b6e07af17a7d8b30c1f9b3390e36f69019e4",
  "493012345678": "cae5f525a6c8d8cbfd28d7c654edf86f5e816f66919de0f842df68a2be24429b",
  "john.smith@gmail.com": "d0c648bc36f12061bec770df216cea2ab95851b9350fd54b658de53b0407767a",
  "johnsmith@gmail.com": "3586de92bb3636d0885a12eff961429a32e4ebd764b96f50d85d016f9338d586",
  mary: "6915771be1c5aa0c886870b6951b03d7eafc121fea0e80a5ea83beb7c449f4ec",
  obrien: "b4cb6cb33fe4b865868de825023a1e2790dc12ac01ecc8d7c5afe8254071c8ba",
  newyork: "350c754ba4d38897693aa077ef43072a859d23f613443133fecbbd90a3512ca5",
  ny: "1b06e2003f8420d6fa42badd8f77ec0f706b976b7a48b13c567dc5a559681683",
  "94035": "1794327a4d443904421f5ca1f3d72d0a62ba2f0770d80755ec2220fc0efb052e",
  us: "79adb2a2fce5c6ba215fe5f27f532d4e7edbac4b6a5e09e1ef3a08084a904621",
  // Meta's examples of the normalized forms: db 19970216, ge f.
  "19970216": "01acdbf6ec7b4f478a225f1a246e5d6767eeab1a7ffa17f025265b5b94f40f0c",
  f: "252f10c83610ebca1a059c0bae8255eba2f95be4d1d7bcfa89d7248a82d9f111",
  m: "62c66a7a5dd70c3146618063c344e531e6d4b59e379808443ce962b3abd63c5a",
};

describe("sha256", () => {
  test("matches the published example and independent digests", () => {
    for (const [input, digest] of Object.entries(DIGEST)) expect(sha256(input), input).toBe(digest);
  });
});

describe("normalization", () => {
  test("email: trimmed and lower-cased; Google also drops the dots of a Gmail local part", () => {
    expect(normalizeEmail("  Test@Example.COM \n")).toBe("test@example.com");
    expect(normalizeEmail("John.Smith+shop@Example.com")).toBe("john.smith+shop@example.com");
    expect(normalizeEmailForGoogle(" John.Smith@GMAIL.com ")).toBe("johnsmith@gmail.com");
    expect(normalizeEmailForGoogle("j.o.h.n@googlemail.com")).toBe("john@googlemail.com");
    // Only Gmail: other providers' dots are significant.
    expect(normalizeEmailForGoogle("john.smith@example.com")).toBe("john.smith@example.com");
    expect(normalizeEmailForGoogle("john.smith@notgmail.com")).toBe("john.smith@notgmail.com");
  });

  test("phone: digits with the country code", () => {
    expect(normalizePhone("+1 (555) 123-4567")).toBe("15551234567");
    expect(normalizePhone("001 555 123 4567")).toBe("15551234567");
    expect(normalizePhone("+49 (0)30 1234-5678")).toBe("493012345678");
    // National numbers take the country's calling code, without the trunk 0.
    expect(normalizePhone("030 1234 5678", "DE")).toBe("493012345678");
    expect(normalizePhone("07700 900123", "gb")).toBe("447700900123");
    expect(normalizePhone("(555) 123-4567", "US")).toBe("15551234567");
    // A US number already starting with the 1 is not given a second one.
    expect(normalizePhone("1-555-123-4567", "US")).toBe("15551234567");
    // Without a country nothing can be added.
    expect(normalizePhone("555 123 4567")).toBe("5551234567");
  });

  test("names lower-case without punctuation; city also without spaces; state letters only", () => {
    expect(normalizeName(" Mary ")).toBe("mary");
    expect(normalizeName("O'Brien")).toBe("obrien");
    expect(normalizeName("Jean-Luc")).toBe("jeanluc");
    expect(normalizeName("Zoë")).toBe("zoë");
    // NFC: a decomposed ë equals the composed one.
    expect(normalizeName("Zoe\u0308")).toBe("zo\u00eb");
    expect(normalizeCity("New York")).toBe("newyork");
    expect(normalizeCity("St. Louis")).toBe("stlouis");
    expect(normalizeState("N.Y.")).toBe("ny");
  });

  test("zip without spaces or dashes, US zips to five digits; country ISO alpha-2 lower-case", () => {
    expect(normalizeZip("SW1A 1AA")).toBe("sw1a1aa");
    expect(normalizeZip("94035-1234", "US")).toBe("94035");
    expect(normalizeZip("940351234", "us")).toBe("94035");
    expect(normalizeZip("10115", "DE")).toBe("10115");
    expect(normalizeCountry(" US ")).toBe("us");
    expect(normalizeCountry("USA")).toBe("");
  });

  test("date of birth YYYYMMDD from a year-first date; gender f or m", () => {
    for (const v of ["1997-02-16", "1997/2/16", "1997.02.16", " 19970216 ", "1997-02-16T00:00:00Z"]) expect(normalizeDateOfBirth(v), v).toBe("19970216");
    expect(normalizeDateOfBirth("2000-02-29")).toBe("20000229");
    // Not a real date, not year-first (ambiguous day and month), in the future, or before 1900: not sent.
    for (const v of ["1997-02-30", "1997-13-01", "16/02/1997", "02/16/1997", "1997216", "2999-01-01", "1850-05-05", "soon"]) expect(normalizeDateOfBirth(v), v).toBe("");
    for (const v of ["f", "F", " female ", "Frau"]) expect(normalizeGender(v), v).toBe("f");
    for (const v of ["m", "Male", "MALE"]) expect(normalizeGender(v), v).toBe("m");
    for (const v of ["x", "other", ""]) expect(normalizeGender(v), v).toBe("");
  });
});

describe("hashUserData", () => {
  test("hashes every identifier per its rule and keeps the unhashed ones the platforms need", () => {
    const u = hashUserData({
      email: " Test@Example.com ",
      phone: "+1 (555) 123-4567",
      first_name: "Mary",
      last_name: "O'Brien",
      city: "New York",
      state: "N.Y.",
      zip: "94035-1234",
      country: "US",
      date_of_birth: "1997-02-16",
      gender: "Female",
      external_id: " customer-1 ",
      client_ip_address: "203.0.113.9",
      client_user_agent: "Mozilla/5.0",
      fbp: "fb.1.1700000000000.123",
      gclid: "Cj0KCQ",
    });
    expect(u).toEqual({
      em: DIGEST["test@example.com"],
      ph: DIGEST["15551234567"],
      ph_e164: DIGEST["+15551234567"],
      fn: DIGEST.mary,
      ln: DIGEST.obrien,
      ct: DIGEST.newyork,
      st: DIGEST.ny,
      zp: DIGEST["94035"],
      country: DIGEST.us,
      db: DIGEST["19970216"],
      ge: DIGEST.f,
      external_id: sha256("customer-1"),
      client_ip_address: "203.0.113.9",
      client_user_agent: "Mozilla/5.0",
      fbp: "fb.1.1700000000000.123",
      gclid: "Cj0KCQ",
    });
  });

  test("a national phone number takes the country of the user data", () => {
    expect(hashUserData({ phone: "030 1234 5678", country: "DE" }).ph).toBe(DIGEST["493012345678"]);
  });

  test("a dotted Gmail address gets a second, Google-normalized hash; others do not", () => {
    expect(hashUserData({ email: "John.Smith@gmail.com" })).toEqual({ em: DIGEST["john.smith@gmail.com"], em_google: DIGEST["johnsmith@gmail.com"] });
    expect(hashUserData({ email: "johnsmith@gmail.com" })).toEqual({ em: DIGEST["johnsmith@gmail.com"] });
    expect(hashUserData({ email: "john.smith@example.com" }).em_google).toBeUndefined();
  });

  test("values that already look like SHA-256 pass through, lower-cased; no second E.164 hash is invented for them", () => {
    const upper = DIGEST["test@example.com"].toUpperCase();
    expect(hashUserData({ email: upper })).toEqual({ em: DIGEST["test@example.com"] });
    expect(hashUserData({ phone: ` ${DIGEST["15551234567"]} ` })).toEqual({ ph: DIGEST["15551234567"] });
  });

  test("empty and unusable values are dropped, not hashed", () => {
    expect(hashUserData({ email: "   ", first_name: "", country: "Germany", phone: "---" })).toEqual({});
    expect(hashUserData(undefined)).toEqual({});
  });

  test("no output value contains the raw input", () => {
    const raw = { email: "Alice@Example.org", phone: "+44 7700 900123", first_name: "Alice", last_name: "Liddell", city: "Oxford", zip: "OX1 1DP", external_id: "alice-42" };
    const out = JSON.stringify(hashUserData(raw));
    for (const value of Object.values(raw)) expect(out).not.toContain(value);
    for (const value of ["alice@example.org", "447700900123", "alice", "liddell", "oxford", "ox11dp"]) expect(out).not.toContain(value);
  });
});
