import { describe, expect, it } from "vitest";
import { createAuthLogger } from "./auth-log";

function logged(run: (logger: ReturnType<typeof createAuthLogger>) => void): string[] {
  const lines: string[] = [];
  run(createAuthLogger((line) => lines.push(line)));
  return lines;
}

describe("next-auth's logger", () => {
  it("writes one line for a token the client sent that does not decrypt or has expired", () => {
    const invalid = Object.assign(new Error("Invalid Compact JWE"), { code: "ERR_JWE_INVALID" });
    const expired = Object.assign(new Error('"exp" claim\ntimestamp check failed'), { code: "ERR_JWT_EXPIRED" });
    const lines = logged((logger) => {
      logger.error("JWT_SESSION_ERROR", invalid);
      logger.error("JWT_SESSION_ERROR", { error: expired, providerId: "credentials" });
    });
    expect(lines).toEqual([
      "[auth] error JWT_SESSION_ERROR: Invalid Compact JWE",
      '[auth] error JWT_SESSION_ERROR: "exp" claim timestamp check failed',
    ]);
  });

  it("keeps the stack of anything else (a bug or a database failure is worth its trace)", () => {
    const [line] = logged((logger) => logger.error("CALLBACK_CREDENTIALS_HANDLER_ERROR", new TypeError("db is undefined")));
    expect(line!.split("\n")[0]).toBe("[auth] error CALLBACK_CREDENTIALS_HANDLER_ERROR: db is undefined");
    expect(line).toContain("auth-log.test.ts");
  });

  it("writes warnings on one line and drops debug output", () => {
    const lines = logged((logger) => {
      logger.warn("NEXTAUTH_URL");
      logger.debug();
    });
    expect(lines).toEqual(["[auth] warn NEXTAUTH_URL"]);
  });
});
