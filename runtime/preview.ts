// Preview mode: a link from the dashboard (?tagpipe_preview=<token>, per environment,
// expiring) turns on an in-page panel explaining each occurrence: which triggers matched
// or not and why, the mapped parameters, validation problems, what was sent where. The
// panel lives in a shadow root and is built with textContent only: configuration strings
// are shown, never interpreted.
export type Record_ = { title: string; lines: string[]; ok: boolean };

const valid = (token: string | null | undefined, envKey: string) => {
  const [key, exp] = (token ?? "").split(".");
  return key === envKey && Number(exp) * 1000 > Date.now();
};

/**
 * Preview from the link in the URL; the token is kept in a session cookie for the next
 * pages, which `previewLater` checks after the page's own work (document.cookie and
 * storage are synchronous calls out of the renderer: they stay off the boot path).
 */
export function previewEnabled(envKey: string): boolean {
  try {
    const token = new URL(location.href).searchParams.get("tagpipe_preview");
    if (!token) return false;
    document.cookie = `tp_preview=${encodeURIComponent(token)}; path=/; SameSite=Lax`;
    return valid(token, envKey);
  } catch {
    return false;
  }
}

export function previewLater(envKey: string, enable: () => void): void {
  setTimeout(() => {
    try {
      const saved = document.cookie.match(/(?:^|; )tp_preview=([^;]*)/)?.[1];
      if (saved && valid(decodeURIComponent(saved), envKey)) enable();
    } catch {
      /* no preview */
    }
  }, 0);
}

export function panel(): (r: Record_) => void {
  const host = document.createElement("div");
  host.setAttribute("data-tagpipe-preview", "");
  const root = host.attachShadow({ mode: "open" });
  const box = document.createElement("div");
  box.setAttribute("style", "position:fixed;right:12px;bottom:12px;width:380px;max-height:60vh;overflow:auto;z-index:2147483647;background:#fff;color:#111;font:12px/1.4 system-ui,sans-serif;border:1px solid #999;border-radius:6px;box-shadow:0 4px 16px #0003;padding:8px");
  const head = document.createElement("strong");
  head.textContent = "Tagpipe preview";
  box.appendChild(head);
  root.appendChild(box);
  const mount = () => document.body.appendChild(host);
  if (document.body) mount();
  else addEventListener("DOMContentLoaded", mount);
  return (r) => {
    const item = document.createElement("details");
    item.setAttribute("part", "record");
    item.setAttribute("style", `border-top:1px solid #ddd;padding:4px 0;color:${r.ok ? "#064" : "#900"}`);
    item.open = true;
    const summary = document.createElement("summary");
    summary.textContent = r.title;
    item.appendChild(summary);
    for (const line of r.lines) {
      const div = document.createElement("div");
      div.setAttribute("style", "color:#333;white-space:pre-wrap;word-break:break-all");
      div.textContent = line;
      item.appendChild(div);
    }
    box.appendChild(item);
  };
}
