import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

/**
 * The system context ({ kind: "system" }) bypasses every permission. Only platform code that
 * no request reaches may create it (seed, schema sync, the audit of the platform itself), so
 * no file on a request path (routers, REST, pages, components) may.
 */
const REQUEST_PATHS = ["server/api", "app", "components", "designers", "proxy.ts"];
const SYSTEM_CONTEXT = /kind:\s*["']system["']/;

function sourceFiles(path: string): string[] {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return [];
  if (stat.isFile()) return /\.(ts|tsx)$/.test(path) && !/\.test\.tsx?$|\.suite\.ts$/.test(path) ? [path] : [];
  return readdirSync(path).flatMap((entry) => sourceFiles(join(path, entry)));
}

describe("system context", () => {
  it("is never created on a request path", () => {
    const root = process.cwd();
    const offenders = REQUEST_PATHS.flatMap((path) => sourceFiles(join(root, path)))
      .filter((file) => SYSTEM_CONTEXT.test(readFileSync(file, "utf8")))
      .map((file) => relative(root, file));
    expect(offenders).toEqual([]);
  });
});
