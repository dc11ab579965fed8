import { MAX_INPUT_DEPTH, MAX_REQUEST_BODY_BYTES } from "@/spec/api-limits";
import { textProblem } from "@/spec/text";
import type { Issue } from "@/server/errors";

/**
 * Checks that guard every request's decoded input (tRPC and REST alike) before any schema or
 * service sees it. They walk the whole value once, without recursion, so a hostile input (10,000
 * levels deep, a `__proto__` key, a lone surrogate) is refused cheaply with the path it sits at,
 * instead of overflowing a recursive parser, changing an object's prototype or being stored
 * altered.
 */

type Frame = { value: unknown; depth: number; parent: Frame | null; key: string | number | null };

function pathOf(frame: Frame, prefix: (string | number)[]): (string | number)[] {
  const keys: (string | number)[] = [];
  for (let at: Frame | null = frame; at && at.key !== null; at = at.parent) keys.push(at.key);
  return [...prefix, ...keys.reverse()];
}

/**
 * The first problem in a decoded input, as an issue whose path starts with `prefix`, or null.
 * Objects are walked by their own keys (`Object.keys`), so a `__proto__` that JSON.parse made an
 * own property is seen, and refused: assigning it anywhere later would replace a prototype.
 */
export function inputProblem(input: unknown, prefix: (string | number)[] = []): Issue | null {
  const stack: Frame[] = [{ value: input, depth: 0, parent: null, key: null }];
  while (stack.length > 0) {
    const frame = stack.pop()!;
    const { value, depth } = frame;
    if (typeof value === "string") {
      const problem = textProblem(value);
      if (problem) return { path: pathOf(frame, prefix), message: problem };
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    if (depth >= MAX_INPUT_DEPTH) return { path: pathOf(frame, prefix), message: `is nested too deeply: input may be at most ${MAX_INPUT_DEPTH} levels deep` };
    if (Array.isArray(value)) {
      for (let index = value.length - 1; index >= 0; index--) stack.push({ value: value[index], depth: depth + 1, parent: frame, key: index });
      continue;
    }
    const keys = Object.keys(value);
    for (let index = keys.length - 1; index >= 0; index--) {
      const key = keys[index];
      const child: Frame = { value: (value as Record<string, unknown>)[key], depth: depth + 1, parent: frame, key };
      if (key === "__proto__") return { path: pathOf(child, prefix), message: "'__proto__' is not allowed as a name" };
      const problem = textProblem(key);
      if (problem) return { path: pathOf(child, prefix), message: `has a name that ${problem}` };
      stack.push(child);
    }
  }
  return null;
}

export type BodyText = { ok: true; text: string } | { ok: false; status: 413 | 400; message: string };

/**
 * Reads a request body as text, refusing it once it passes `limit` bytes (the declared
 * Content-Length is checked first, then the bytes as they arrive: a chunked body declares none)
 * or when it is not valid UTF-8 (decoding it anyway would store U+FFFD in place of what was sent).
 */
export async function readBodyText(request: Request, limit = MAX_REQUEST_BODY_BYTES): Promise<BodyText> {
  const tooLarge = { ok: false, status: 413, message: `The request body must be at most ${describeLimit(limit)}` } as const;
  const declared = Number(request.headers.get("content-length"));
  if (Number.isFinite(declared) && declared > limit) return tooLarge;
  if (!request.body) return { ok: true, text: "" };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => undefined);
      return tooLarge;
    }
    chunks.push(value);
  }
  try {
    return { ok: true, text: new TextDecoder("utf-8", { fatal: true }).decode(Buffer.concat(chunks)) };
  } catch {
    return { ok: false, status: 400, message: "The request body is not valid UTF-8" };
  }
}

export function describeLimit(bytes: number): string {
  return bytes % 1_000_000 === 0 ? `${bytes / 1_000_000} MB` : `${bytes} bytes`;
}
