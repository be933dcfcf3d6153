// zod issues as field problems: a dot path and a message (and the form's label, where a rule
// gives it). Unknown keys name the key.
import type { z } from "zod";
import type { FieldProblem } from "../errors";

export function fieldProblems(error: z.ZodError): FieldProblem[] {
  return error.issues.flatMap((issue) => {
    const base = issue.path.map(String).join(".");
    if (issue.code === "unrecognized_keys") {
      return issue.keys.map((key) => ({ path: base ? `${base}.${key}` : key, message: "is not a known field" }));
    }
    // A rule that knows the form's label for its field says it (field-rules.ts): the message can then name it in plain words.
    const where = issue.code === "custom" && typeof issue.params?.where === "string" ? issue.params.where : undefined;
    return [{ path: base, message: issue.message, ...(where ? { where } : {}) }];
  });
}
