/**
 * Admits requests one per event-loop turn, in arrival order.
 *
 * Under load, a Node server processes every request that became readable in one loop iteration
 * before the next iteration, and libuv accepts only one new connection per iteration (libuv
 * 1.45+, "don't accept() connections in a loop"). With 64 busy keep-alive connections an
 * iteration held 64 requests' work (hundreds of milliseconds), so the k-th connection opened
 * last waited k such iterations before it was even accepted: first requests of new connections
 * waited seconds while the others cycled (measured with a plain node:http server doing 7 ms per
 * request: p50 210 ms, max 6.5 s at 64 connections; admitted one per turn: p50 472 ms, max
 * 524 ms, the same throughput). proxy.ts awaits a turn before each request: each iteration then
 * runs one request's synchronous work, new connections are accepted as fast as requests are
 * served, and requests are served first come, first served. An idle server admits at once (one
 * setImmediate hop).
 */
const waiting: (() => void)[] = [];
let scheduled = false;

function admitNext(): void {
  scheduled = false;
  waiting.shift()?.();
  if (waiting.length > 0) schedule();
}

function schedule(): void {
  if (scheduled) return;
  scheduled = true;
  setImmediate(admitNext);
}

/** Resolves when it is this request's turn (after every request that asked before it). */
export function requestTurn(): Promise<void> {
  return new Promise((resolve) => {
    waiting.push(resolve);
    schedule();
  });
}

/** Requests waiting for their turn (for tests and diagnostics). */
export function requestsWaiting(): number {
  return waiting.length;
}
