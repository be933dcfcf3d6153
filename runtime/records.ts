// What the runtime tells the preview panel: compact records of positions and outcomes,
// kept in window.tagpipe.debug (the last 200) and handed to window.__tagpipePanel once the
// panel has loaded. The panel turns them into sentences with the configuration and the
// names; the runtime carries no explanation text.
import type { Dict } from "./util";

export enum Rec { error, trigger, event, waiting, counted, unknown }

export type Entry =
  /** something threw, and was swallowed */
  | [kind: Rec.error, message: string]
  /** a trigger of the occurrence's type; `actuals`: the values its conditions saw, in order, up to the first that failed */
  | [kind: Rec.trigger, trigger: number, pushed: unknown, fires: boolean, actuals: unknown[], blockedBy: number[], spent: boolean]
  /** a conversion sent to the collector; `fired`: destinations called, each with the error it threw if it did */
  | [kind: Rec.event, event: number, eventId: string, params: Dict, errors: string[], granted: boolean, fired: [destination: number, error?: string][], pageView: boolean]
  /** a conversion waiting for consent */
  | [kind: Rec.waiting, event: number, eventId: string, params: Dict]
  /** a once-per-event-id conversion seen before */
  | [kind: Rec.counted, event: number, eventId: string]
  /** tagpipe("track", name) for an event the container does not have */
  | [kind: Rec.unknown, name: string];
