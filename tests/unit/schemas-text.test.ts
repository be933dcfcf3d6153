import { describe, expect, it } from "vitest";
import { hasBadCharacters, storableText } from "../../lib/schemas/text";

describe("storableText", () => {
  it("replaces NUL and unpaired surrogates with U+FFFD, so PostgreSQL can store the text", () => {
    expect(storableText("bad\u0000gateway")).toBe("bad\uFFFDgateway");
    expect(storableText("a\uD800b")).toBe("a\uFFFDb");
    expect(hasBadCharacters(storableText("\u0000\uDC00\u0000"))).toBe(false);
  });
  it("leaves other text as it is, emoji included", () => {
    const text = "<html>Bad gateway 😀 é</html>";
    expect(storableText(text)).toBe(text);
  });
});
