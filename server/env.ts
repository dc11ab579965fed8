import "server-only";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { z } from "zod";

/**
 * The environment, read once and validated. Everything has a working default so that
 * `npm start` runs on a fresh machine with no .env to write.
 */
const envSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
  /** `file:./data/objectstudio.db` (SQLite, default) or `postgres://user@host:port/db`. */
  DATABASE_URL: z
    .string()
    .refine((url) => !/^(mysql|mariadb):\/\//i.test(url), {
      message:
        "MySQL/MariaDB cannot hold the platform database (users, metadata, runs): use file: (SQLite) or postgres://. " +
        "Attach MySQL databases as external data sources instead",
      abort: true,
    })
    .regex(/^(file:|postgres:\/\/|postgresql:\/\/)/, "must start with file:, postgres:// or postgresql://")
    .default("file:./data/objectstudio.db"),
  /** Signs session tokens. Generated once into data/auth-secret when not given. */
  NEXTAUTH_SECRET: z.string().min(16, "must be at least 16 characters").optional(),
  /** Set to "false" to skip creating the demo CRM app and users at start. */
  SEED_DEMO: z.enum(["true", "false"]).default("true"),
  /** ObjectQL queries at least this slow (ms) go to the slow-query log (server/objectql/slow-query-log.ts). */
  OBJECTQL_SLOW_QUERY_MS: z.coerce.number().int().min(0).default(500),
  /**
   * Whether this process runs queued flow runs (after-save flows). "off" on PostgreSQL leaves
   * them to worker processes (`npm run worker`); on SQLite the web process always runs them.
   */
  FLOW_WORKER: z.enum(["on", "off"]).default("on"),
  /**
   * The public URL; an https:// one makes the session cookie `Secure` (server/auth/options.ts).
   * Unset, it is http://localhost:$PORT (publicUrl below), never next-auth's own localhost:3000.
   */
  NEXTAUTH_URL: z.url().optional(),
  /** The port the server listens on (scripts/start.mjs; scripts/serve.mjs -p sets it too). */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Sign-in rate limiting (server/security/sign-in-throttle.ts): failures allowed per email ... */
  SIGNIN_MAX_FAILURES: z.coerce.number().int().min(1).default(5),
  /** ... and per client IP, within SIGNIN_WINDOW_MINUTES; then refused for SIGNIN_LOCK_MINUTES. */
  SIGNIN_MAX_FAILURES_PER_IP: z.coerce.number().int().min(1).default(20),
  SIGNIN_WINDOW_MINUTES: z.coerce.number().int().min(1).default(15),
  SIGNIN_LOCK_MINUTES: z.coerce.number().int().min(1).default(15),
  /**
   * Hosts flows' HTTP callouts may reach although they resolve to loopback, private or
   * link-local addresses (server/http/outbound.ts): names or addresses separated by commas,
   * `*.corp.example` for a domain's hosts. Empty: only public addresses.
   */
  FLOW_HTTP_ALLOW_HOSTS: z.string().max(10_000).default(""),
  /** Flows' email goes through this SMTP server (`smtp://user:pass@host:587`, `smtps://...`); unset: into the outbox admins read in the studio. */
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "must start with smtp:// or smtps://").optional(),
  /** Ended flow runs (and their step logs) older than this many days are deleted (by any process's worker, hourly). */
  FLOW_RUN_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(90),
  /** Hours a screen run waits for its user (left half-way) before it expires. */
  FLOW_SCREEN_RUN_HOURS: z.coerce.number().int().min(1).max(8_760).default(24),
  /** Outbox messages older than this many days are deleted (hourly). */
  MAIL_OUTBOX_RETENTION_DAYS: z.coerce.number().int().min(1).max(36_500).default(30),
  /** The sender of flows' email. */
  MAIL_FROM: z.string().min(3).max(320).default("ObjectStudio <no-reply@objectstudio.local>"),
  /** Reverse proxies in front of the app that append to X-Forwarded-For (the client IP is that many from the right). */
  TRUSTED_PROXY_HOPS: z.coerce.number().int().min(1).max(10).default(1),
});

export type Env = z.infer<typeof envSchema> & { NEXTAUTH_SECRET: string; NEXTAUTH_URL: string; dialect: "sqlite" | "postgres" };

/**
 * The app's public URL: NEXTAUTH_URL when given, else this server on its own port. next-auth
 * builds its redirects and callback URLs from NEXTAUTH_URL and falls back to
 * http://localhost:3000 whatever the port, so leaving it unset on another port sent browsers
 * to a server that is not there.
 */
export function publicUrl(source: { NEXTAUTH_URL?: string; PORT: number }): string {
  return source.NEXTAUTH_URL ?? `http://localhost:${source.PORT}`;
}

function readEnv(): Env {
  const parsed = envSchema.safeParse(process.env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join(".")}: ${issue.message}`).join("\n");
    throw new Error(`Invalid environment:\n${problems}`);
  }
  const env = parsed.data;
  return {
    ...env,
    NEXTAUTH_SECRET: env.NEXTAUTH_SECRET ?? persistentSecret(),
    NEXTAUTH_URL: publicUrl(env),
    dialect: env.DATABASE_URL.startsWith("file:") ? "sqlite" : "postgres",
  };
}

/** A secret kept in data/ so sessions survive restarts without any configuration. */
function persistentSecret(): string {
  const file = resolve(process.cwd(), "data/auth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("hex");
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

export const env: Env = readEnv();
// next-auth reads the secret and the public URL from the environment in some code paths.
process.env.NEXTAUTH_SECRET ??= env.NEXTAUTH_SECRET;
process.env.NEXTAUTH_URL ??= env.NEXTAUTH_URL;
