import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(__dirname, "../..");
const SOURCE_DIRS = ["app", "server", "components", "designers", "formula", "spec"];
const SOURCE_FILES = ["proxy.ts", "instrumentation.ts"];

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "generated" || entry.name === "node_modules" ? [] : sources(path);
    return /\.(ts|tsx)$/.test(entry.name) && !/\.test\.ts$|\.suite\.ts$/.test(entry.name) ? [path] : [];
  });
}

/**
 * Every way a browser session is authenticated must check that its session row is still live
 * (server/auth/current-user.ts). A route or page that decoded the cookie itself
 * (getServerSession, getToken, next-auth/jwt) would accept a signed-out cookie for 8 hours.
 */
describe("session checks", () => {
  it("only server/auth reads the session cookie; everything else asks getCurrentUser", () => {
    const files = [...SOURCE_DIRS.flatMap((dir) => sources(join(root, dir))), ...SOURCE_FILES.map((file) => join(root, file))];
    const offenders = files
      .filter((file) => !relative(root, file).startsWith("server/auth/"))
      .filter((file) => /getServerSession|getToken\s*\(|from\s+["']next-auth\/jwt["']|next-auth\.session-token/.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
