// zod issues as field problems: a dot path and a message. Unknown keys name the key.
import type { z } from "zod";
import type { FieldProblem } from "../errors";

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: "is not a known field" }));
    }
    return [{ path: base, message: issue.message }];
  });
}
