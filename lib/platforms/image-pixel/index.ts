// An image pixel: a URL template requested by the browser. No server side.
import type { PlatformDefinition } from "../types";

export const imagePixel: PlatformDefinition = {
  label: "Image pixel (URL template)",
  name: "Image pixel",
  ids: [{ key: "urlTemplate", label: "URL template", pattern: /^https:\/\/[^\s]+$/, hint: "https://…?ev={event}&v={value}&id={event_id}" }],
  secrets: [],
  consent: "ads",
  testMode: "none",
  dedup: "browser_only",
  tag: { idKey: "urlTemplate" },
  names: null,
};
