import { spawn, type ChildProcess } from "node:child_process";
import { resolve } from "node:path";
import pg from "pg";
import { expect } from "@playwright/test";

/**
 * Extra production servers for specs about processes (several web processes on one database,
 * starting on PostgreSQL): `npm start`'s own script (scripts/start.mjs) or the web server (scripts/serve.mjs) on the
 * build the suite runs against (NEXT_DIST_DIR), on ports after the suite's own.
 */
const root = resolve(__dirname, "..");
export const BASE_PORT = Number(process.env.E2E_PORT ?? 3210);
export const PG_URL = process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";

export type ServerProcess = { url: string; child: ChildProcess; output: () => string; exited: Promise<number | null>; stop: () => Promise<void> };

export function startServer(options: { port: number; databaseUrl: string; env?: Record<string, string>; viaStartScript?: boolean }): ServerProcess {
  const url = `http://127.0.0.1:${options.port}`;
  const [command, args] = options.viaStartScript
    ? [process.execPath, [resolve(root, "scripts/start.mjs")]]
    : [process.execPath, [resolve(root, "scripts/serve.mjs"), "-p", String(options.port), "-H", "127.0.0.1"]];
  const child = spawn(command, args, {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(options.port),
      DATABASE_URL: options.databaseUrl,
      NEXTAUTH_URL: url,
      ...options.env,
    },
  });
  return watched(child, url);
}

/** The process's last output, its exit, and a stop that ends it (SIGTERM) and waits. */
function watched(child: ChildProcess, url: string): ServerProcess {
  let output = "";
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-20_000));
  child.stdout!.on("data", collect);
  child.stderr!.on("data", collect);
  const exited = new Promise<number | null>((done) => child.once("exit", (code) => done(code)));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
    await exited;
  };
  return { url, child, output: () => output, exited, stop };
}

/**
 * A flow worker (`npm run worker`: server/automation/queue/worker-main.ts) as one node process, so that
 * killing it (SIGKILL) kills the worker itself, not a wrapper that leaves it running.
 */
export function startFlowWorker(databaseUrl: string): ServerProcess {
  const child = spawn(process.execPath, ["--import", "tsx", "--conditions=react-server", resolve(root, "server/automation/queue/worker-main.ts")], {
    cwd: root,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, NODE_ENV: "production", DATABASE_URL: databaseUrl },
  });
  return watched(child, "");
}

/**
 * Waits until /api/health answers 200 (or the process ends: then its output explains why). A
 * boot with migrations and the seed took 5-10 s here alone, and over 2 minutes while other
 * suites loaded the machine, hence the generous default.
 */
export async function waitUntilHealthy(server: ServerProcess, timeoutMs = 240_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let ended = false;
  void server.exited.then(() => (ended = true));
  while (Date.now() < deadline) {
    if (ended) throw new Error(`server exited before answering: ${server.output()}`);
    try {
      if ((await fetch(`${server.url}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((wait) => setTimeout(wait, 250));
  }
  throw new Error(`server did not answer /api/health within ${timeoutMs} ms: ${server.output()}`);
}

/** Why PostgreSQL specs skip (no server answers), or null. Under CI (`CI` set) it throws instead: CI has the server. */
export async function postgresUnavailable(): Promise<string | null> {
  const client = new pg.Client({ connectionString: PG_URL, connectionTimeoutMillis: 3000 });
  let reason: string | null = null;
  try {
    await client.connect();
  } catch (error) {
    reason = `PostgreSQL at ${PG_URL} unreachable (${error instanceof Error ? error.message : String(error)})`;
  } finally {
    await client.end().catch(() => undefined);
  }
  const ci = (process.env.CI ?? "").trim().toLowerCase();
  if (reason !== null && ci !== "" && ci !== "0" && ci !== "false") throw new Error(`${reason}. Under CI the PostgreSQL specs never skip: start the server or set TEST_DATABASE_URL.`);
  return reason;
}

/** Runs one statement as the test server's superuser (schemas and databases for the specs). */
export async function postgresAdmin<T extends pg.QueryResultRow>(text: string, values: unknown[] = []): Promise<pg.QueryResult<T>> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    return await client.query<T>(text, values);
  } finally {
    await client.end();
  }
}

/** PG_URL with `?schema=` set. */
export function withSchema(schema: string): string {
  const url = new URL(PG_URL);
  url.searchParams.set("schema", schema);
  return url.toString();
}

export type Trpc = { status: number; json: { result?: { data: { json: unknown } }; error?: { json: { message: string; data: { code: string; issues?: { path: unknown[] }[] } } } } };

/** A tRPC call to one server as a signed-in user (its session cookie). */
export async function trpc(server: ServerProcess, cookie: string, path: string, input: unknown, kind: "query" | "mutation"): Promise<Trpc> {
  const body = JSON.stringify({ json: input });
  const response =
    kind === "query"
      ? await fetch(`${server.url}/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers: { cookie } })
      : await fetch(`${server.url}/api/trpc/${path}`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: server.url }, body });
  return { status: response.status, json: await response.json() };
}

export function data<T>(answer: Trpc): T {
  expect(answer.status, JSON.stringify(answer.json.error)).toBe(200);
  return answer.json.result!.data.json as T;
}

export async function publishDraft(server: ServerProcess, cookie: string, kind: string, name: string, change: (body: Record<string, unknown> | null) => unknown, confirmDestructive = false) {
  const current = await trpc(server, cookie, "metadata.get", { kind, name }, "query");
  const detail = current.status === 200 ? data<{ draftRevision: number; draft: Record<string, unknown> | null; published: Record<string, unknown> | null }>(current) : null;
  if (detail) data(await trpc(server, cookie, "metadata.saveDraft", { kind, name, body: change(detail.draft ?? detail.published), baseRevision: detail.draftRevision }, "mutation"));
  else data(await trpc(server, cookie, "metadata.create", { kind, body: change(null) }, "mutation"));
  data(await trpc(server, cookie, "metadata.publish", { kind, name, confirmDestructive }, "mutation"));
}
