#!/usr/bin/env node
// The production web server: Next.js's own request handler (Next's documented custom-server API)
// behind the one check that needs the request line as the client sent it. Next parses every URL
// with the URL class, which resolves dot segments before any of our code runs: `/api/v1/objects/
// account/records/%2e%2e` became `/api/v1/objects/account/` and was redirected to the object's
// definition. Here a path segment that is `.` or `..` (literally or percent-encoded) has its dots
// encoded once more, so it reaches the routes as the text it is: an id `%2E%2E` that names no
// record (404), never a step up the path. Browsers never send such segments; raw clients do.
//
// Used by `npm start` (scripts/start.mjs, also under WEB_CONCURRENCY), the e2e suite and the
// benches. Options as `next start` takes them: -p <port>, -H <host>, --keepAliveTimeout <ms>.
import { createServer } from "node:http";
import { fileURLToPath } from "node:url";
import { withDotSegmentsEncoded } from "./request-target.mjs";

process.env.NODE_ENV = "production";
process.env.NEXT_TELEMETRY_DISABLED = "1";
const { default: next } = await import("next");

const root = fileURLToPath(new URL("..", import.meta.url));
const options = parseOptions(process.argv.slice(2));
const port = Number(options.p ?? process.env.PORT ?? 3000);
const hostname = options.H ?? process.env.HOSTNAME;
// The app derives its public URL from PORT when NEXTAUTH_URL is unset (server/env.ts), as `next start -p` set it.
process.env.PORT = String(port);

function parseOptions(argv) {
  const parsed = {};
  for (let index = 0; index < argv.length; index += 2) {
    const name = argv[index].replace(/^--?/, "");
    const value = argv[index + 1];
    if (!["p", "port", "H", "hostname", "keepAliveTimeout"].includes(name) || value === undefined) {
      console.error(`scripts/serve.mjs: unknown option '${argv[index]}' (use -p <port>, -H <host>, --keepAliveTimeout <ms>)`);
      process.exit(2);
    }
    parsed[name === "port" ? "p" : name === "hostname" ? "H" : name] = value;
  }
  return parsed;
}

const app = next({ dev: false, dir: root, port, hostname: hostname ?? "localhost" });
const handle = app.getRequestHandler();
await app.prepare();
process.title = "objectstudio-web";

const server = createServer((request, response) => {
  request.url = withDotSegmentsEncoded(request.url ?? "/");
  handle(request, response).catch((error) => {
    console.error(`Failed to handle ${request.method} ${request.url?.slice(0, 200)}`, error);
    if (!response.headersSent) response.writeHead(500, { "content-type": "text/plain" });
    response.end("Internal Server Error");
  });
});
if (options.keepAliveTimeout !== undefined) server.keepAliveTimeout = Number(options.keepAliveTimeout);

server.listen(port, hostname, () => {
  console.log(`ObjectStudio listening on http://${hostname ?? "localhost"}:${port}`);
});

for (const signal of ["SIGINT", "SIGTERM"]) {
  process.on(signal, () => {
    server.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5000).unref();
  });
}
