import { afterEach, describe, expect, it, vi } from "vitest";

describe("env", () => {
  const original = process.env.DATABASE_URL;
  afterEach(() => {
    if (original === undefined) delete process.env.DATABASE_URL;
    else process.env.DATABASE_URL = original;
    vi.resetModules();
  });

  it("refuses a MySQL DATABASE_URL with a message that says what to use instead", async () => {
    process.env.DATABASE_URL = "mysql://root@127.0.0.1:3306/objectstudio";
    vi.resetModules();
    await expect(import("./env")).rejects.toThrow(/DATABASE_URL: MySQL\/MariaDB cannot hold the platform database.*file: \(SQLite\) or postgres:\/\/.*external data sources/);
  });
});
