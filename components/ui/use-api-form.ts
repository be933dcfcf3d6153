"use client";
// The state every API-backed form has: field errors, a summary message, pending.
import { useState } from "react";
import type { ApiResult, FieldErrors } from "./api";

export function useApiForm() {
  const [fields, setFields] = useState<FieldErrors>({});
  const [message, setMessage] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [pending, setPending] = useState(false);

  /** Runs the request; returns the data on success, null (with errors shown) on failure. */
  async function run<T>(request: () => Promise<ApiResult<T>>): Promise<T | null> {
    setPending(true);
    const result = await request();
    setPending(false);
    if (result.ok) {
      setFields({});
      setMessage(null);
      setConflict(false);
      return result.data;
    }
    setFields(result.fields);
    setConflict(result.status === 409 && "revision" in result.fields);
    setMessage(result.message);
    return null;
  }

  /** Forgets the server's error for one field once it is edited (the live check speaks for the new value). */
  function clear(path: string) {
    setFields((current) => {
      if (!(path in current)) return current;
      const { [path]: _gone, ...rest } = current;
      void _gone;
      return rest;
    });
  }

  return { fields, message, conflict, pending, run, clear };
}
