import { describe, expect, it } from "vitest";
import { ObjectQLError, isObjectQLError } from "./errors";

describe("isObjectQLError", () => {
  it("recognises an error from another copy of the module (a production chunk), not other errors", () => {
    // What another bundled copy of errors.ts throws: the same name and shape, another class.
    class OtherCopy extends Error {
      code = "BAD_REQUEST";
      issues = [{ path: [1, "qty"], message: "must be at least 0" }];
      constructor(message: string) {
        super(message);
        this.name = "ObjectQLError";
      }
    }
    expect(new OtherCopy("x") instanceof ObjectQLError).toBe(false);
    expect(isObjectQLError(new OtherCopy("x"))).toBe(true);
    expect(isObjectQLError(new ObjectQLError("NOT_FOUND", "x"))).toBe(true);
    expect(isObjectQLError(new Error("x"))).toBe(false);
    expect(isObjectQLError({ name: "ObjectQLError", code: "BAD_REQUEST", message: "x" })).toBe(false);
  });
});
