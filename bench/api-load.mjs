// The load generator of `bench api`, run as a process of its own so that its work (autocannon's
// HTTP parsing and histograms) never shares an event loop with the bench's bookkeeping or the
// server. Reads one JSON argument, runs autocannon, prints one JSON line with the results.
//   { url, connections, durationSeconds, headers?, timeoutSeconds? }
import autocannon from "autocannon";

const options = JSON.parse(process.argv[2] ?? "{}");
const result = await autocannon({
  url: options.url,
  connections: options.connections,
  duration: options.durationSeconds,
  headers: options.headers ?? {},
  timeout: options.timeoutSeconds ?? 10,
  // One request in flight per connection, as the clients the issue measured.
  pipelining: 1,
});
const latency = result.latency;
console.log(
  JSON.stringify({
    requests: result.requests.total,
    durationSeconds: result.duration,
    rps: result.requests.total / result.duration,
    p50: latency.p50,
    p99: latency.p99,
    max: latency.max,
    timeouts: result.timeouts,
    errors: result.errors,
    non2xx: result.non2xx,
    statusCodes: result.statusCodeStats,
  }),
);
