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

/** Loads the panel (a script of its own, so storefronts that never preview never download it). */
export function loadPanel(src: string): void {
  const s = document.createElement("script");
  s.async = true;
  s.src = src;
  document.head.appendChild(s);
}
