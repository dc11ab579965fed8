import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { requireTestServer, underCi } from "./test-databases";

/**
 * Integration suites cannot vanish: every `*.int.test.ts` decides whether to run through
 * `requireTestServer`, which fails the run under CI when a database server does not answer
 * (and skips, saying why, on a user's machine). A new suite that probes on its own, or skips
 * on some other condition, fails here.
 */

const ROOT = path.resolve(__dirname, "../../..");
const IGNORED = new Set(["node_modules", ".git", "e2e"]);

function integrationFiles(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    // Build output (.next, .next-<name>) and test reports hold copies, not sources.
    if (IGNORED.has(entry.name) || entry.name.startsWith(".next") || entry.name.startsWith("test-results")) continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...integrationFiles(full));
    else if (entry.name.endsWith(".int.test.ts")) found.push(path.relative(ROOT, full));
  }
  return found.sort();
}

/** What is wrong with one suite's gate, or an empty list. */
function gateProblems(source: string): string[] {
  const problems: string[] = [];
  const gates = new Set([...source.matchAll(/const (\w+) = await requireTestServer\("(?:postgres|mysql)"\)/g)].map((match) => match[1]));
  if (gates.size === 0) problems.push("never calls `const <reason> = await requireTestServer(\"postgres\" | \"mysql\")`");
  for (const name of ["probePostgres", "mysqlUnavailable", "postgresUnavailable"]) {
    if (source.includes(name)) problems.push(`probes with ${name} instead of requireTestServer`);
  }
  for (const match of source.matchAll(/\b(?:describe|it|test|suite)\.skipIf\(\s*([^)]*)\)/g)) {
    const condition = match[1].trim();
    const gate = /^(\w+) !== null$/.exec(condition)?.[1];
    if (!gate || !gates.has(gate)) problems.push(`skips on \`${condition}\`, not on a requireTestServer reason (\`<reason> !== null\`)`);
  }
  if (/\b(?:describe|it|test|suite)\.(?:skip|todo)\(/.test(source)) problems.push("has an unconditional .skip or .todo");
  if (/\b(?:describe|it|test)\.runIf\(/.test(source)) problems.push("uses runIf (gate with requireTestServer and skipIf instead)");
  return problems;
}

describe("integration suites cannot disappear", () => {
  const files = integrationFiles(ROOT);

  it("finds the integration suites", () => {
    expect(files.length).toBeGreaterThanOrEqual(28);
    expect(files).toContain("server/objectql/conformance/conformance.int.test.ts");
  });

  it("every *.int.test.ts is gated by requireTestServer and skips on nothing else", () => {
    const offenders = files.map((file) => [file, gateProblems(readFileSync(path.join(ROOT, file), "utf8"))] as const).filter(([, problems]) => problems.length > 0);
    expect(Object.fromEntries(offenders)).toEqual({});
  });

  it("the check itself catches a suite that probes and skips on its own", () => {
    const homeMade = 'const probe = await probePostgres();\ndescribe.skipIf(!probe.ok)("postgres", () => {});';
    expect(gateProblems(homeMade)).toHaveLength(3);
    const gated = 'const down = await requireTestServer("postgres");\ndescribe.skipIf(down !== null)("postgres", () => {});';
    expect(gateProblems(gated)).toEqual([]);
    expect(gateProblems(`${gated}\ndescribe.skip("later", () => {});`)).toEqual(["has an unconditional .skip or .todo"]);
  });

  it("knows CI from the CI variable", () => {
    expect([{ CI: "true" }, { CI: "1" }, { CI: "yes" }].every((env) => underCi(env))).toBe(true);
    expect([{}, { CI: "" }, { CI: "false" }, { CI: "0" }].some((env) => underCi(env))).toBe(false);
  });

  // Port 1 on the loopback refuses at once: an unreachable server without waiting for a timeout.
  it("fails under CI when a server does not answer, and skips with the reason elsewhere", async () => {
    const url = { postgres: "postgres://postgres@127.0.0.1:1/test", mysql: "mysql://root@127.0.0.1:1/test" } as const;
    for (const server of ["postgres", "mysql"] as const) {
      await expect(requireTestServer(server, { env: { CI: "true" }, url: url[server] })).rejects.toThrow(/127\.0\.0\.1:1.*unreachable.*Under CI the integration suites never skip/s);
      const reason = await requireTestServer(server, { env: {}, url: url[server] });
      expect(reason).toMatch(/127\.0\.0\.1:1.*unreachable/);
    }
  });

  it("never prints a password in the reason", async () => {
    const reason = await requireTestServer("postgres", { env: {}, url: "postgres://someone:hunter2@127.0.0.1:1/test" });
    expect(reason).not.toContain("hunter2");
    expect(reason).toContain("someone:***@");
  });
});
