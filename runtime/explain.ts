// The preview panel's sentences: a runtime record (records.ts), read with the container's
// configuration and the names served with the panel, as a title and lines. Pure; part of
// the panel's script only.
import { NEGATE, Op, Platform, Source, TriggerType, nameAt, type RuntimeConfig, type RuntimeNames } from "../lib/compiler/runtime-config";
import { compare, regexError } from "./conditions";
import { Rec, type Entry } from "./records";
import { imageUrl } from "./util";
import { problemText } from "../lib/validation/params";

export type Shown = { title: string; lines: string[]; ok: boolean };

const mark = (ok: boolean) => (ok ? "✓" : "✗");
const KIND: Record<number, string> = { [TriggerType.page_view]: "page_view", [TriggerType.history_change]: "history", [TriggerType.click]: "click", [TriggerType.form_submit]: "submit" };

/** A record as the panel shows it. Records of scripts published before compact records arrive already shown. */
export function explain(r: Entry | Shown, c: RuntimeConfig | undefined, names: RuntimeNames | null): Shown {
  if (!Array.isArray(r)) return r;
  const trigger = (i: number) => names?.triggers[i] ?? `#${i}`;
  const destination = (i: number) => names?.destinations[i] ?? `destination #${i}`;
  const variable = (i: number) => names?.variables[i] ?? `#${i}`;
  const event = (i: number) => c?.[8][i]?.[0] ?? `#${i}`;
  const head = (eventId: string, params: unknown) => [`event_id ${eventId}`, `params ${JSON.stringify(params)}`];
  switch (r[0]) {
    case Rec.error:
      return { title: "Tagpipe error (swallowed)", lines: [r[1]], ok: false };
    case Rec.unknown:
      return { title: `✗ track ${r[1]}`, lines: ["no such event in this container"], ok: false };
    case Rec.counted:
      return { title: `– ${event(r[1])} already counted`, lines: [`event_id ${r[2]} was sent before (once per event id)`], ok: true };
    case Rec.waiting:
      return { title: `… ${event(r[1])} waits for consent`, lines: head(r[2], r[3]), ok: true };
    case Rec.trigger: {
      const [, i, pushed, fires, actuals, blockedBy, spent] = r;
      const [type, , conditions = []] = c?.[7][i] ?? [];
      const lines = actuals.map((actual, j) => {
        const cond = conditions[j];
        const [source, op, value, flags, key] = cond;
        const error = regexError(cond);
        const what = key === undefined || key === "" ? "" : ` ${source === Source.variable ? variable(key as number) : key}`;
        return `${mark(compare(cond, actual))} ${Source[source]}${what} ${flags & NEGATE ? "not " : ""}${Op[op]} ${JSON.stringify(value)} (was ${JSON.stringify(actual)})${error ? ` ${error}` : ""}`;
      });
      if (blockedBy.length) lines.push(`blocked by ${blockedBy.map(trigger).join(", ")}`);
      if (spent) lines.push("already fired on this page");
      const on = type === TriggerType.data_layer_event ? String(pushed) : KIND[type ?? -1];
      return { title: `${mark(fires)} trigger ${trigger(i)} on ${on}`, lines, ok: fires };
    }
    case Rec.event: {
      const [, at, eventId, params, errors, granted, fired, pageView] = r;
      const lines = head(eventId, params);
      if (!c?.[1]) lines.push("pixels not fired: non-production environment");
      else if (!errors.length && granted) {
        for (const [d, error] of fired) {
          const [platform, , , id] = c[9][d];
          const name = nameAt(c[9][d], at, c[8]) as string;
          const call =
            platform === Platform.meta ? `fbq ${name}`
            : platform === Platform.tiktok ? `ttq ${pageView ? "page" : name}`
            : platform === Platform.ga4 ? `gtag ${name}`
            : platform === Platform.google_ads ? "gtag conversion"
            : platform === Platform.pinterest ? `pintrk ${pageView ? "page" : name}`
            : platform === Platform.snapchat ? `snaptr ${name}`
            : `image ${imageUrl(id, name, eventId, params)}`;
          lines.push(error === undefined ? `→ ${call} (${destination(d)})` : `✗ ${destination(d)}: ${error}`);
        }
      } else if (!errors.length) lines.push("pixels not fired: consent denied");
      lines.push("→ collector", ...errors.map((e) => `invalid: ${problemText(e)}`));
      return { title: `${mark(!errors.length)} ${event(at)}`, lines, ok: !errors.length };
    }
  }
}
