// Raw PII outside user_data (lib/collector/redact.ts): page URLs and referrers lose the
// values of personal-data parameters, params get emails and phone numbers hashed.
import { describe, expect, test } from "vitest";
import { sha256 } from "../../../lib/collector/hash";
import { isPiiName, redactText, redactUrl, scrubParams } from "../../../lib/collector/redact";

describe("redactUrl", () => {
  test("parameters named for personal data lose their value, whatever the spelling", () => {
    expect(redactUrl("https://shop.example.com/thanks?email=a%40b.com&utm_source=fb")).toBe("https://shop.example.com/thanks?email=redacted&utm_source=fb");
    expect(redactUrl("https://s.example/?e-mail=x&Phone=%2B4930123&tel=0301&first_name=Jane&lastName=Doe&name=Jane+Doe&address=1+Main+St&zip=10115&postal_code=SW1A")).toBe(
      "https://s.example/?e-mail=redacted&Phone=redacted&tel=redacted&first_name=redacted&lastName=redacted&name=redacted&address=redacted&zip=redacted&postal_code=redacted",
    );
    expect(redactUrl("https://s.example/?mail=x&customer_email=y&billing_phone=z&shipping-address=w")).toBe("https://s.example/?mail=redacted&customer_email=redacted&billing_phone=redacted&shipping-address=redacted");
  });

  test("any value that is an email goes, whatever its name; an email in the path too", () => {
    expect(redactUrl("https://s.example/p?ref=jane.doe%2Bshop%40example.com&q=shoes")).toBe("https://s.example/p?ref=redacted&q=shoes");
    expect(redactUrl("https://s.example/p?u=jane@example.com")).toBe("https://s.example/p?u=redacted");
    expect(redactUrl("https://s.example/account/jane@example.com/orders?x=1")).toBe("https://s.example/account/redacted/orders?x=1");
    expect(redactUrl("https://s.example/account/jane%40example.com")).toBe("https://s.example/account/redacted");
  });

  test("parameters in the fragment too", () => {
    expect(redactUrl("https://s.example/#/confirm?email=a%40b.com&step=2")).toBe("https://s.example/#/confirm?email=redacted&step=2");
    expect(redactUrl("https://s.example/p?a=1#phone=123&tab=x")).toBe("https://s.example/p?a=1#phone=redacted&tab=x");
    expect(redactUrl("https://s.example/p#contact/jane@example.com")).toBe("https://s.example/p#contact/redacted");
  });

  test("everything else stays exactly as it was: click ids, product names, encoding", () => {
    for (const url of [
      "https://shop.example.com/thanks?fbclid=IwAR1&gclid=Cj0K&ttclid=E.C.P&utm_medium=email&utm_source=newsletter",
      "https://shop.example.com/p?product_name=Blue%20shirt&username=x&sort=price+asc&empty=&flag",
      "https://shop.example.com/checkout/thanks",
      "/relative/path?q=1",
      "not a url at all",
      "",
    ]) {
      expect(redactUrl(url), url).toBe(url);
    }
  });

  test("names: which parameter names say personal data", () => {
    for (const n of ["email", "E-Mail", "e_mail", "mail", "phone", "tel", "mobile", "first_name", "firstName", "last-name", "surname", "name", "address", "street", "zip", "zipcode", "postcode", "postal_code", "customer_email", "billingPhone", "dob"]) expect(isPiiName(n), n).toBe(true);
    for (const n of ["utm_source", "utm_medium", "product_name", "username", "q", "hotel", "gclid", "fbclid", "page"]) expect(isPiiName(n), n).toBe(false);
  });
});

describe("redactText", () => {
  test("emails in a page title go", () => {
    expect(redactText("Thanks, jane@example.com!")).toBe("Thanks, redacted!");
    expect(redactText("Order confirmed")).toBe("Order confirmed");
  });
});

describe("scrubParams", () => {
  test("an email or an international phone number, at any depth, becomes the SHA-256 of its normalized form", () => {
    const params = {
      value: 10,
      currency: "EUR",
      contact: " Jane.Doe@Example.COM ",
      buyer: { phones: ["+49 (0)30 9876-5432"], note: "call +1 555 123 4567" },
      items: [{ item_id: "sku-1", item_name: "Blue shirt", gift_to: "bob@example.org" }],
    };
    expect(scrubParams(params)).toEqual({
      value: 10,
      currency: "EUR",
      contact: sha256("jane.doe@example.com"),
      buyer: { phones: [sha256("493098765432")], note: "call +1 555 123 4567" },
      items: [{ item_id: "sku-1", item_name: "Blue shirt", gift_to: sha256("bob@example.org") }],
    });
    // The input is not changed.
    expect(params.contact).toBe(" Jane.Doe@Example.COM ");
  });

  test("under a key naming an email or phone, any value is hashed, numbers too", () => {
    expect(scrubParams({ customer_phone: "15551234567", phone: 4915112345678, email: "not-an-address" })).toEqual({
      customer_phone: sha256("15551234567"),
      phone: sha256("4915112345678"),
      email: sha256("not-an-address"),
    });
  });

  test("an email inside longer text is replaced; ids, order numbers and hashes stay", () => {
    expect(scrubParams({ search_string: "orders of jane@example.com please" })).toEqual({ search_string: "orders of redacted please" });
    const untouched = { order_id: "2024-0001-123", content_ids: ["123456789012", "sku-2"], name: "Jane Doe", transaction_id: "+12", em: sha256("x"), coupon: "SAVE10" };
    expect(scrubParams(untouched)).toBe(untouched);
  });
});
