/** Median wall time of `runs` calls after `warmup` unmeasured ones, in milliseconds. */
export async function medianMs(fn: () => Promise<unknown>, runs: number, warmup = 2): Promise<number> {
  for (let i = 0; i < warmup; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const middle = Math.floor(times.length / 2);
  return times.length % 2 ? times[middle]! : (times[middle - 1]! + times[middle]!) / 2;
}

/**
 * Times the two sides interleaved (A, B, A, B, ...) so drift in the machine's load hits both
 * alike, and returns both medians.
 */
export async function compareMedians(
  a: () => Promise<unknown>,
  b: () => Promise<unknown>,
  runs: number,
  warmup = 2,
): Promise<{ a: number; b: number }> {
  for (let i = 0; i < warmup; i++) {
    await a();
    await b();
  }
  const timesA: number[] = [];
  const timesB: number[] = [];
  for (let i = 0; i < runs; i++) {
    let start = performance.now();
    await a();
    timesA.push(performance.now() - start);
    start = performance.now();
    await b();
    timesB.push(performance.now() - start);
  }
  return { a: median(timesA), b: median(timesB) };
}

export function median(values: number[]): number {
  const sorted = [...values].sort((x, y) => x - y);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatMs(value: number): string {
  return value < 10 ? value.toFixed(3) : value.toFixed(1);
}

/**
 * How many timed runs a case gets: `runs`, four times as many when one call takes under 20 ms
 * (a millisecond query's median moves by several percent over 15 runs on this machine; more
 * samples cost little there and steady the ratio), a third (at least 3) when one takes over a
 * second (a full scan of a million rows: its median is steady, and every side times it).
 */
export async function runsFor(fn: () => Promise<unknown>, runs: number): Promise<number> {
  const start = performance.now();
  await fn();
  const ms = performance.now() - start;
  if (ms < 20) return runs * 4;
  return ms > 1000 ? Math.max(3, Math.floor(runs / 3)) : runs;
}

/** A ratio with two significant digits at least (0.0024, not 0.00). */
export function formatRatio(value: number): string {
  return value >= 0.1 ? value.toFixed(2) : value.toPrecision(2);
}

/**
 * Times any number of sides, each call given its run number (so a side can use fresh values per
 * run), and returns each side's median. Every run calls every side once, starting one side
 * further along each time, so no side is always first (or always right after another).
 * Warm-up calls use run numbers 0 .. warmup-1, timed runs warmup .. warmup+runs-1.
 */
export async function timeSides(sides: ((run: number) => Promise<unknown>)[], runs: number, warmup = 2): Promise<number[]> {
  for (let run = 0; run < warmup; run++) for (const side of sides) await side(run);
  const times = sides.map((): number[] => []);
  for (let run = 0; run < runs; run++) {
    for (let step = 0; step < sides.length; step++) {
      const index = (run + step) % sides.length;
      const start = performance.now();
      await sides[index]!(warmup + run);
      times[index]!.push(performance.now() - start);
    }
  }
  return times.map(median);
}
