// The tags (vendors.ts) are a script of their own, loaded on the first conversion that
// fires a pixel: most of a container's vendor code is needed only then, and a page view
// then parses and compiles less. The container script carries the tags script's URL (an
// immutable one, cached for a year) and its SHA-384, so the browser runs it only if it is
// the one published with this container (SRI), and it gets the page's CSP nonce
// (load.ts). Calls made while it loads wait for it, in order; if it cannot load, they run
// without it (the pixel calls are reported as failed; the collector's copy is sent anyway).
import type { RuntimeConfig } from "../lib/compiler/runtime-config";
import { loadScript } from "./load";
import type { Tags } from "./vendors";

/** undefined: not loaded (yet); null: could not load */
let tags: Tags | null | undefined;
let waiting: ((t: Tags | null) => void)[] | undefined;

/** The tags, once their script ran. */
export const loadedTags = () => tags;
/** Whether their script is on its way (calls wait for it): the beacon waits a little for the outcome. */
export const tagsLoading = () => !!waiting;

/** Calls f with the tags once their script has run (at once when it has), or with null when there are none. */
export function withTags(src: RuntimeConfig[11], f: (t: Tags | null) => void): void {
  if (tags !== undefined || !src) return f(tags ?? null);
  if (!waiting) {
    waiting = [];
    const s = loadScript(src[0], src[1]);
    s.onload = s.onerror = () => {
      tags = (window as unknown as { __tagpipeTags?: Tags }).__tagpipeTags ?? null;
      const run = waiting!;
      waiting = undefined;
      run.forEach((g) => g(tags!));
    };
  }
  waiting.push(f);
}
