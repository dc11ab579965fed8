import { describe, expect, it } from "vitest";
import { authOptions, sessionCookie } from "./options";

describe("session cookie", () => {
  it("is httpOnly and SameSite=Lax always, and Secure (with the __Secure- prefix) when served over https", () => {
    expect(sessionCookie("https://studio.example.com")).toEqual({
      name: "__Secure-next-auth.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: true },
    });
    expect(sessionCookie("http://127.0.0.1:3000")).toEqual({
      name: "next-auth.session-token",
      options: { httpOnly: true, sameSite: "lax", path: "/", secure: false },
    });
    expect(sessionCookie(undefined).options.secure).toBe(false);
  });

  it("is what next-auth is configured with", () => {
    expect(authOptions.cookies?.sessionToken).toEqual(sessionCookie());
    expect(authOptions.useSecureCookies).toBe(sessionCookie().options.secure);
  });
});
