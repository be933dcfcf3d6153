// Domain errors. lib/ throws these; the API wrapper maps them to HTTP once.
import { problemSentence } from "./schemas/field-rules";

/** `where`: the field as the form labels it ("Condition 2 value", "Pixel ID"), when a rule knows it. */
export type FieldProblem = { path: string; message: string; where?: string };

export class DomainError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly fields: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** The fields' problems as one message: in the form's words where a rule gave them ("Pixel ID looks wrong: …"), else by path. */
export function fieldsMessage(fields: FieldProblem[], where = "body"): string {
  return fields.map((f) => (f.where ? problemSentence({ where: f.where, message: f.message }) : `${f.path || where}: ${f.message}`)).join("; ");
}

/** Bad input. `fields` names each offending field (dot path) and what is wrong with it. */
export class ValidationError extends DomainError {
  constructor(fields: FieldProblem[], message?: string) {
    super(422, "validation_failed", message ?? fieldsMessage(fields), fields);
  }
}

/**
 * Unknown ids and ids of other teams answer the same 404, so ids cannot be probed
 * across teams.
 */
export class NotFoundError extends DomainError {
  constructor(entity: string) {
    super(404, "not_found", `${entity} not found`);
  }
}

export class ForbiddenError extends DomainError {
  constructor(message = "Your role does not allow this") {
    super(403, "forbidden", message);
  }
}

export class UnauthorizedError extends DomainError {
  constructor(message = "Sign in or send a valid API token") {
    super(401, "unauthorized", message);
  }
}

export class ConflictError extends DomainError {
  constructor(message: string, fields: FieldProblem[] = []) {
    super(409, "conflict", message, fields);
  }
}

export class RateLimitedError extends DomainError {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(429, "rate_limited", message);
  }
}
