import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { expect } from "vitest";

/** Expects a tRPC call to fail with the given code (answered as a 4xx) and returns the error. */
export async function refused(call: Promise<unknown>, code: TRPCError["code"]): Promise<TRPCError> {
  const error = await call.then(
    () => {
      throw new Error(`expected ${code}, but the call succeeded`);
    },
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(TRPCError);
  const trpcError = error as TRPCError;
  expect(trpcError.code, trpcError.message).toBe(code);
  expect(getHTTPStatusCodeFromError(trpcError)).toBeGreaterThanOrEqual(400);
  expect(getHTTPStatusCodeFromError(trpcError)).toBeLessThan(500);
  return trpcError;
}
