// The arithmetic of the volume alerts, on hourly counts (what rollups hold): the count
// of a rolling window estimated from the hour buckets it overlaps, and the baseline a
// window is compared with. Pure, so the unit tests pin it down with an explicit `now`.
export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const WEEK = 168 * HOUR;
/** Weeks the same-hour-of-week baseline looks back at most. */
export const MAX_WEEKS = 4;
/** Hours of history the trailing baseline needs before it says anything. */
export const MIN_TRAILING_HOURS = 6;

/** hour start (ms since epoch, a multiple of HOUR) → count */
export type Hours = Map<number, number>;

export function floorHour(ms: number): number {
  return Math.floor(ms / HOUR) * HOUR;
}

/**
 * The count in [end - span, end), from hour buckets, each assumed uniform over the part of
 * its hour that has happened: the bucket of `now`'s hour covers [hour, now) only, so its
 * events all fall inside a window ending at `now`, while a past hour cut by the window
 * counts in proportion to the overlap.
 */
export function windowCount(hours: Hours, end: number, now: number, span = HOUR): number {
  const from = end - span;
  let total = 0;
  for (let h = floorHour(from); h < end; h += HOUR) {
    const count = hours.get(h);
    if (!count) continue;
    const happened = Math.min(h + HOUR, now) - h;
    if (happened <= 0) continue;
    const overlap = Math.min(h + HOUR, end, now) - Math.max(h, from);
    if (overlap > 0) total += (count * overlap) / happened;
  }
  return total;
}

export type Baseline =
  /** the same hour of the week, median over `weeks` previous weeks */
  | { kind: "weekly"; perHour: number; weeks: number }
  /** the mean hourly count over the `hours` before the current hour-long window */
  | { kind: "trailing"; perHour: number; hours: number };

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/**
 * What the hour ending at `now` is compared with. With at least two weeks of history
 * (since `firstSeen`): the same hour-long window one, two, … (up to MAX_WEEKS) weeks
 * back, median of those the history covers. Otherwise the mean per hour over the 24 hours
 * before the window (fewer when the history is shorter, but at least MIN_TRAILING_HOURS;
 * less history than that gives no baseline).
 */
export function baseline(hours: Hours, now: number, firstSeen: number | null): Baseline | null {
  if (firstSeen === null || firstSeen > now) return null;
  const history = now - firstSeen;
  if (history >= 2 * WEEK) {
    const weeks = Math.min(MAX_WEEKS, Math.floor(history / WEEK));
    const values = Array.from({ length: weeks }, (_, i) => windowCount(hours, now - (i + 1) * WEEK, now));
    return { kind: "weekly", perHour: median(values), weeks };
  }
  const end = now - HOUR;
  const start = Math.max(firstSeen, end - 24 * HOUR);
  const span = end - start;
  if (span < MIN_TRAILING_HOURS * HOUR) return null;
  return { kind: "trailing", perHour: windowCount(hours, end, now, span) / (span / HOUR), hours: span / HOUR };
}

/** The hour windows [from, to) a baseline at `now` reads: the last 25 hours, and each weekly window. */
export function windowsNeeded(now: number, firstSeen: number | null): { from: number; to: number }[] {
  const current = { from: floorHour(now - 25 * HOUR), to: floorHour(now) + HOUR };
  if (firstSeen === null || now - firstSeen < 2 * WEEK) return [current];
  const weeks = Math.min(MAX_WEEKS, Math.floor((now - firstSeen) / WEEK));
  return [current, ...Array.from({ length: weeks }, (_, i) => ({ from: floorHour(now - (i + 1) * WEEK - HOUR), to: floorHour(now - (i + 1) * WEEK) + HOUR }))];
}

/**
 * Whether a volume is a drop. A baseline under `minVolume` per hour never alerts (quiet
 * events would flap); an open incident closes only once the volume is back above halfway
 * between the alert threshold and the baseline, so a volume hovering at the threshold
 * does not open and close it every interval.
 */
export function isDrop(current: number, base: Baseline | null, settings: { dropPercent: number; minVolume: number }, open: boolean): { firing: boolean; threshold: number } | null {
  if (!base || base.perHour < settings.minVolume) return null;
  const threshold = base.perHour * (1 - settings.dropPercent / 100);
  const recovery = base.perHour * (1 - settings.dropPercent / 200);
  return { firing: open ? current < recovery : current < threshold, threshold };
}
