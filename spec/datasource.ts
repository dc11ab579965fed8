import { z } from "zod";
import { identifier } from "./identifier";

/**
 * External data sources: a PostgreSQL, MySQL/MariaDB or SQLite database that an admin attaches
 * so that its tables can be introspected into objects and queried through ObjectQL.
 *
 * Definitions are metadata (versioned, exported as JSON/YAML), so they must not hold secrets: a
 * URL with a password is refused; write `env:NAME` instead and set the environment variable
 * NAME to the real URL on the server.
 */
export const DATASOURCE_DRIVERS = ["postgres", "mysql", "sqlite"] as const;
export type DatasourceDriver = (typeof DATASOURCE_DRIVERS)[number];

const URL_PATTERNS: Record<DatasourceDriver, { pattern: RegExp; example: string }> = {
  postgres: { pattern: /^postgres(ql)?:\/\/[^\s]+$/i, example: "postgres://user:password@host:5432/database" },
  mysql: { pattern: /^(mysql|mariadb):\/\/[^\s]+\/[^\s/?]+/i, example: "mysql://user:password@host:3306/database" },
  sqlite: { pattern: /^file:[^\s]+$/i, example: "file:./data/other.db" },
};

const ENV_REFERENCE = /^env:[A-Z_][A-Z0-9_]{0,127}$/;

/** Query parameters that carry a secret (libpq, node-postgres and mysql2 accept these in a URL). */
const SECRET_PARAMETERS = /^(password|pass|pwd|passwd|sslpassword|sslkey|passfile)$/i;

function hasPassword(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.password !== "" || [...parsed.searchParams.keys()].some((key) => SECRET_PARAMETERS.test(key));
  } catch {
    return false;
  }
}

/** Whether `url` has the form `driver` expects (for `env:` URLs, checked once resolved on the server). */
export function datasourceUrlMatches(driver: DatasourceDriver, url: string): boolean {
  return URL_PATTERNS[driver].pattern.test(url);
}

export const datasourceSchema = z
  .object({
    name: identifier,
    label: z.string().trim().min(1, "is required").max(120),
    driver: z.enum(DATASOURCE_DRIVERS),
    /** The database URL, or `env:NAME` to read it from the server's environment variable NAME. */
    url: z.string().min(1, "is required").max(2000),
    /** PostgreSQL schema to read (default `public`); MySQL reads the URL's database; SQLite has none. */
    schema: z.string().regex(/^[A-Za-z_][A-Za-z0-9_$]{0,62}$/, "must be a plain schema name").optional(),
    /** External tables are read-only unless this is switched off (writes are not supported yet either way). */
    readOnly: z.boolean().default(true),
  })
  .superRefine((source, ctx) => {
    const { pattern, example } = URL_PATTERNS[source.driver];
    if (source.url.startsWith("env:")) {
      if (!ENV_REFERENCE.test(source.url)) ctx.addIssue({ code: "custom", path: ["url"], message: "must be env:NAME with NAME an environment variable (A-Z, 0-9, _)" });
    } else if (hasPassword(source.url)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: "must not contain a password (definitions are stored and exported): put the URL in an environment variable and write env:NAME" });
    } else if (!pattern.test(source.url)) {
      ctx.addIssue({ code: "custom", path: ["url"], message: `must be a ${source.driver} URL such as ${example}` });
    }
    if (source.schema !== undefined && source.driver !== "postgres") {
      ctx.addIssue({ code: "custom", path: ["schema"], message: "only PostgreSQL data sources have a schema" });
    }
  });
export type DatasourceDef = z.infer<typeof datasourceSchema>;
export type DatasourceInput = z.input<typeof datasourceSchema>;
