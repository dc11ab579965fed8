import { describe, expect, it } from "vitest";
import { clientInfo } from "./client-info";

describe("clientInfo", () => {
  it("takes the address the trusted proxy saw, not what the client claimed", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.7", "user-agent": "Firefox" });
    expect(clientInfo(headers)).toEqual({ ip: "203.0.113.7", userAgent: "Firefox" });
    expect(clientInfo(headers, 2).ip).toBe("6.6.6.6");
    expect(clientInfo(headers, 5).ip).toBe("6.6.6.6");
  });

  it("reads plain header records (next-auth's) and falls back to X-Real-IP", () => {
    expect(clientInfo({ "x-forwarded-for": "127.0.0.1" }).ip).toBe("127.0.0.1");
    expect(clientInfo({ "x-real-ip": "10.0.0.1" })).toEqual({ ip: "10.0.0.1", userAgent: null });
    expect(clientInfo({})).toEqual({ ip: null, userAgent: null });
    // Node's repeated headers come as arrays: one list of hops.
    expect(clientInfo({ "x-forwarded-for": ["6.6.6.6", "203.0.113.7"] }).ip).toBe("203.0.113.7");
  });

  it("bounds what it keeps", () => {
    expect(clientInfo({ "user-agent": "x".repeat(2000) }).userAgent).toHaveLength(500);
    expect(clientInfo({ "x-real-ip": "1".repeat(300) }).ip).toHaveLength(100);
  });
});
