// What the dashboard's API calls are doing, for the parts of the page that show it: submit
// buttons stay busy while the request their form started is in flight, and a saved change
// is confirmed in the toaster. api() is the one writer.
type Listener = () => void;

let inFlight = 0;
const listeners = new Set<Listener>();
const saved = new Set<(message: string) => void>();

export function requestStarted(): void {
  inFlight++;
  for (const l of listeners) l();
}

export function requestEnded(): void {
  inFlight--;
  for (const l of listeners) l();
}

export function requestsInFlight(): number {
  return inFlight;
}

export function onActivity(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function announceSaved(message: string): void {
  for (const l of saved) l(message);
}

export function onSaved(listener: (message: string) => void): () => void {
  saved.add(listener);
  return () => saved.delete(listener);
}

const VERBS: Record<string, string> = {
  publish: "Published",
  "test-event": "Test event sent",
  acknowledge: "Acknowledged",
  mute: "Muted",
  replay: "Replay queued",
  import: "Imported",
  test: "Test sent",
};

/** The confirmation a successful write earns, from its method and path. */
export function savedMessage(method: string, path: string): string | null {
  if (method === "GET") return null;
  if (method === "DELETE") return "Deleted";
  const last = path.split("?")[0].split("/").pop() ?? "";
  return VERBS[last] ?? "Saved";
}
