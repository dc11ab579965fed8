#!/usr/bin/env node
// Keeps the platform's Prisma schema usable on SQLite and PostgreSQL from one source.
//   node scripts/prisma.mjs generate          derive prisma/postgres/schema.prisma, generate both clients
//   node scripts/prisma.mjs migration <name>  write a migration per provider (diff from the last one)
// Migrations are plain SQL per provider, applied at start by server/db/migrate.ts: Prisma's own
// `migrate dev/deploy` cannot run offline here (see ../shared/STACK.md).
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync, closeSync, openSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const sqliteSchema = join(root, "prisma/schema.prisma");
const postgresSchema = join(root, "prisma/postgres/schema.prisma");
const providers = { sqlite: sqliteSchema, postgres: postgresSchema };

// The CLI looks for native engines it would download; pointing these at an existing file
// stops the download attempts (the JS engine and driver adapters do the real work).
const dummyEngine = join(root, "node_modules/.prisma-no-native-engine");
if (!existsSync(dummyEngine)) closeSync(openSync(dummyEngine, "w"));
const env = { ...process.env, PRISMA_QUERY_ENGINE_LIBRARY: dummyEngine, PRISMA_HIDE_UPDATE_MESSAGE: "1" };

function derivePostgresSchema() {
  const source = readFileSync(sqliteSchema, "utf8");
  const derived = source
    .replace('provider = "sqlite"', 'provider = "postgresql"')
    .replace('url      = "file:./unused.db"', 'url      = "postgresql://unused"')
    .replace('output       = "../server/db/generated/sqlite"', 'output       = "../../server/db/generated/postgres"');
  mkdirSync(join(root, "prisma/postgres"), { recursive: true });
  writeFileSync(
    postgresSchema,
    "// GENERATED from prisma/schema.prisma by scripts/prisma.mjs: edit that file, not this one.\n" + derived,
  );
}

function prisma(args, provider) {
  return execFileSync(join(root, "node_modules/.bin/prisma"), args, {
    cwd: root,
    env: { ...env, PRISMA_PROVIDER: provider },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
  });
}

const [command, name] = process.argv.slice(2);
if (command === "generate") {
  derivePostgresSchema();
  for (const [provider, schema] of Object.entries(providers)) {
    prisma(["generate", "--schema", schema], provider);
  }
  console.log("prisma: generated clients for sqlite and postgres");
} else if (command === "migration") {
  if (!name || !/^[a-z0-9_]+$/.test(name)) throw new Error("usage: migration <name in snake_case>");
  derivePostgresSchema();
  const stamp = new Date().toISOString().replace(/[-:T]/g, "").slice(0, 14);
  for (const [provider, schema] of Object.entries(providers)) {
    const dir = join(root, "prisma/migrations", provider);
    mkdirSync(dir, { recursive: true });
    const previous = readdirSync(dir).filter((d) => /^\d{14}_/.test(d)).sort().at(-1);
    const from = previous
      ? ["--from-schema-datamodel", join(dir, previous, "schema.prisma")]
      : ["--from-empty"];
    const sql = prisma(["migrate", "diff", ...from, "--to-schema-datamodel", schema, "--script"], provider);
    if (!/\S/.test(sql.replace(/^--.*$/gm, ""))) {
      console.log(`prisma: ${provider}: no changes`);
      continue;
    }
    const target = join(dir, `${stamp}_${name}`);
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, "migration.sql"), sql);
    copyFileSync(schema, join(target, "schema.prisma"));
    console.log(`prisma: ${provider}: wrote ${target}`);
  }
} else {
  console.error("usage: node scripts/prisma.mjs generate | migration <name>");
  process.exit(2);
}
