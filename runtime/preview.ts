// Preview mode: a link from the dashboard (?tagpipe_preview=<token>, per environment,
// expiring) turns on an in-page panel explaining each occurrence. The runtime only records
// what happened (records.ts); the panel, a script of its own loaded in preview mode only,
// turns the records into sentences, so storefronts never download the explanations.
import { loadScript } from "./load";
import { cookieLater, setCookie } from "./util";

const valid = (token: string | null | undefined, envKey: string) => {
  const [key, exp] = (token ?? "").split(".");
  return key === envKey && +exp * 1000 > Date.now();
};

/**
 * Calls `enable` once if this page previews the environment: at once when the link is in
 * the URL (its token is then kept in a cookie for the next pages, as long as a link lasts:
 * 4 hours; the token's own expiry is checked too), else when the
 * cookie has it, read asynchronously (util.ts cookieLater: off the boot path, and without
 * document.cookie's synchronous call out of the renderer where the browser allows).
 */
export function preview(envKey: string, panelUrl: string, enable: () => void): void {
  const on = () => {
    enable();
    loadScript(panelUrl);
  };
  try {
    // Most pages have no preview link: they skip parsing the query.
    const token = location.search.includes("tagpipe_preview=") && new URLSearchParams(location.search).get("tagpipe_preview");
    if (token) {
      setCookie("tp_preview", encodeURIComponent(token), 14400);
      if (valid(token, envKey)) return on();
    }
  } catch {
    /* no preview */
  }
  cookieLater("tp_preview", (saved) => saved && valid(decodeURIComponent(saved), envKey) && on());
}
