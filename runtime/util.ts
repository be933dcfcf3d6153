// Small helpers of the browser runtime. No dependencies; every byte ships to storefronts.
export type Dict = Record<string, unknown>;

/** Reads a dot path; "items[].item_id" collects the field of every item into a list. */
export function pick(source: unknown, path: string): unknown {
  let values: unknown[] = [source];
  let list = false;
  for (const part of path.split(".")) {
    const many = part.endsWith("[]");
    const key = many ? part.slice(0, -2) : part;
    const next: unknown[] = [];
    for (const v of values) {
      const child = v != null && typeof v === "object" ? (v as Dict)[key] : undefined;
      if (many && Array.isArray(child)) next.push(...child);
      else if (!many && child !== undefined) next.push(child);
    }
    list = list || many;
    values = next;
  }
  return list ? values : values[0];
}

export function isObj(v: unknown): v is Dict {
  return v != null && typeof v === "object" && !Array.isArray(v);
}

export function rand(): string {
  const a = new Uint8Array(12);
  crypto.getRandomValues(a);
  return Array.from(a, (b) => (b < 16 ? "0" : "") + b.toString(16)).join("");
}

/** localStorage that never throws (private mode, quota, disabled storage). */
export const store = {
  get(k: string): string | null {
    try {
      return localStorage.getItem(k);
    } catch {
      return null;
    }
  },
  set(k: string, v: string): void {
    try {
      localStorage.setItem(k, v);
    } catch {
      /* storage unavailable: the feature degrades, the page is unaffected */
    }
  },
};
