// The dashboard's one way to call the REST API from the browser: same-origin fetch with
// the session cookie (the browser adds the Origin header the CSRF check wants).
import { announceSaved, requestEnded, requestStarted, savedMessage } from "./activity";

export type FieldErrors = Record<string, string>;
export type ApiResult<T> = { ok: true; data: T } | { ok: false; status: number; message: string; detail: string; fields: FieldErrors };

export async function api<T = unknown>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  requestStarted();
  try {
    const result = await call<T>(method, path, body);
    const saved = result.ok ? savedMessage(method, path) : null;
    if (saved) announceSaved(saved);
    return result;
  } finally {
    requestEnded();
  }
}

async function call<T>(method: string, path: string, body?: unknown): Promise<ApiResult<T>> {
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
      credentials: "same-origin",
    });
  } catch {
    const message = "Tagpipe could not be reached: check your connection and try again";
    return { ok: false, status: 0, message, detail: message, fields: {} };
  }
  if (response.status === 204) return { ok: true, data: undefined as T };
  const payload = await response.json().catch(() => null);
  if (response.ok) return { ok: true, data: payload as T };
  const error = (payload as { error?: { message?: string; fields?: { path: string; message: string }[] } } | null)?.error;
  const fields: FieldErrors = {};
  for (const f of error?.fields ?? []) fields[f.path] ??= f.message;
  if (response.status === 401) window.location.href = `/signin?next=${encodeURIComponent(window.location.pathname)}`;
  const detail = error?.message ?? `Request failed (${response.status})`;
  // With field errors, each message shows beside its field; the summary only points
  // there. A conflict (409) keeps its full explanation.
  const message = Object.keys(fields).length && response.status !== 409 ? "Some fields need attention: see the messages beside them." : detail;
  return { ok: false, status: response.status, message, detail, fields };
}
