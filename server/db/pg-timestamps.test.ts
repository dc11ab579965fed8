import { describe, expect, it } from "vitest";
import { pgTimestampToIso } from "./data-db";

describe("pgTimestampToIso", () => {
  it("rewrites PostgreSQL's UTC text form into the engine's ISO form", () => {
    expect(pgTimestampToIso("2026-01-02 03:04:05.678+00")).toBe("2026-01-02T03:04:05.678Z");
    expect(pgTimestampToIso("2026-01-02 03:04:05+00")).toBe("2026-01-02T03:04:05.000Z");
    expect(pgTimestampToIso("2026-01-02 03:04:05.5+00")).toBe("2026-01-02T03:04:05.500Z");
    expect(pgTimestampToIso("2026-01-02 03:04:05.123456+00")).toBe("2026-01-02T03:04:05.123Z");
  });

  it("leaves other offsets to pg's parser (a Date at the same instant)", () => {
    const parsed = pgTimestampToIso("2026-01-02 05:04:05.678+02");
    expect(parsed).toBeInstanceOf(Date);
    expect((parsed as Date).toISOString()).toBe("2026-01-02T03:04:05.678Z");
  });
});
