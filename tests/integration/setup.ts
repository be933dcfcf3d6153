// Runs in every integration test file: no request of any test may answer 5xx, whatever
// the input (bad input is the client's fault and answers 4xx).
import { afterEach, expect } from "vitest";
import "../helpers/context";
import { drainServerErrors } from "../helpers/api";

afterEach(() => {
  expect(drainServerErrors(), "requests that answered 5xx").toEqual([]);
});
