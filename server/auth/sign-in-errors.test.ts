import { describe, expect, it } from "vitest";
import { lockedError, lockedMessage, lockedUntil } from "./sign-in-errors";

describe("sign-in lock errors", () => {
  it("round-trips the lock's end through next-auth's error string", () => {
    const until = new Date("2026-11-26T10:15:00Z");
    expect(lockedUntil(lockedError(until))).toEqual(until);
    expect(lockedUntil("CredentialsSignin")).toBeNull();
    expect(lockedUntil("SignInLocked:garbage")).toBeNull();
    expect(lockedUntil(undefined)).toBeNull();
  });

  it("says when to retry", () => {
    const now = new Date("2026-11-26T10:00:00Z");
    expect(lockedMessage(new Date("2026-11-26T10:15:00Z"), now)).toMatch(/^Too many failed sign-ins\. Try again at .+ \(in 15 minutes\)\.$/);
    expect(lockedMessage(new Date("2026-11-26T10:00:20Z"), now)).toMatch(/\(in 1 minute\)/);
  });
});
