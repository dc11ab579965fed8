import { lookup as dnsLookup } from "node:dns/promises";
import http from "node:http";
import https from "node:https";
import { isIP, type LookupFunction } from "node:net";

/**
 * Requests the server makes to addresses a flow or an agent names (issue 16, reused by issue 19):
 * the guard against server-side request forgery. A URL must be http(s) without credentials; its
 * host is resolved and EVERY address checked: loopback, private, link-local, carrier-grade NAT,
 * unspecified, multicast and reserved addresses are refused (IPv4-mapped and NAT64 IPv6 forms
 * included) unless the host is on the admin's allow-list; the connection then goes to the
 * address that was checked (the socket's lookup returns it), so a DNS answer that changes
 * between the check and the connect (rebinding) cannot slip through. Redirects are followed by
 * hand, each hop checked again; the response body is capped in bytes and the whole exchange in
 * time. Errors are `OutboundError`s with a message that says what was refused and why.
 */

export type OutboundLookup = (hostname: string) => Promise<{ address: string; family: number }[]>;

export type OutboundPolicy = {
  /** Hosts that may be private (`api.internal`, `127.0.0.1`, `*.corp.example`): FLOW_HTTP_ALLOW_HOSTS. */
  allowHosts: readonly string[];
  /** Resolves a host name to all its addresses (tests inject one). */
  lookup?: OutboundLookup;
  maxResponseBytes?: number;
  maxRedirects?: number;
};

export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REDIRECTS = 5;

/** Why an outbound request did not happen or did not finish; `retryable`: a network failure worth another try. */
export class OutboundError extends Error {
  constructor(
    message: string,
    readonly kind: "url" | "refused" | "network" | "timeout" | "too_large" | "redirects",
  ) {
    super(message);
    this.name = "OutboundError";
  }
  get retryable(): boolean {
    return this.kind === "network" || this.kind === "timeout";
  }
}

const defaultLookup: OutboundLookup = (hostname) => dnsLookup(hostname, { all: true, verbatim: true });

/** Parses and checks the shape of a URL: http or https, a host, no user name or password. */
export function parseOutboundUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new OutboundError(`'${shorten(raw)}' is not a valid URL (it must start with http:// or https://)`, "url");
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") throw new OutboundError(`URL scheme '${url.protocol.slice(0, -1)}' is not allowed (only http and https)`, "url");
  if (url.username || url.password) throw new OutboundError("URLs with a user name or password are not allowed (send credentials in a header)", "url");
  if (!url.hostname) throw new OutboundError(`'${shorten(raw)}' has no host`, "url");
  return url;
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** The host as written in the URL, without IPv6 brackets, lowercased. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, "").toLowerCase();
}

export function hostAllowed(host: string, allowHosts: readonly string[]): boolean {
  const name = host.replace(/^\[|\]$/g, "").toLowerCase().replace(/\.$/, "");
  return allowHosts.some((entry) => {
    const allowed = entry.trim().toLowerCase().replace(/^\[|\]$/g, "").replace(/\.$/, "");
    if (!allowed) return false;
    if (allowed.startsWith("*.")) return name.endsWith(allowed.slice(1));
    return name === allowed;
  });
}

/** Parses the FLOW_HTTP_ALLOW_HOSTS list: host names or addresses separated by commas or spaces. */
export function parseAllowHosts(value: string | undefined): string[] {
  return (value ?? "").split(/[\s,]+/).map((entry) => entry.trim()).filter(Boolean);
}

function ipv4Number(address: string): number {
  return address.split(".").reduce((acc, part) => acc * 256 + Number(part), 0);
}

const IPV4_REFUSED: [string, number, string][] = [
  ["0.0.0.0", 8, "unspecified"],
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "carrier-grade NAT"],
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"],
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"],
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"],
  ["224.0.0.0", 4, "multicast"],
  ["240.0.0.0", 4, "reserved"],
];

function ipv4Refusal(address: string): string | null {
  const value = ipv4Number(address);
  for (const [base, bits, why] of IPV4_REFUSED) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((value & mask) >>> 0) === ((ipv4Number(base) & mask) >>> 0)) return why;
  }
  return null;
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function ipv6Groups(address: string): number[] {
  let text = address.toLowerCase().split("%")[0]!;
  const dotted = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (dotted) {
    const v4 = ipv4Number(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >>> 16).toString(16)}:${(v4 & 0xffff).toString(16)}`;
  }
  const [head, tail] = text.split("::") as [string, string | undefined];
  const parse = (part: string) => (part ? part.split(":").map((group) => parseInt(group, 16)) : []);
  const left = parse(head);
  const right = tail === undefined ? [] : parse(tail);
  const zeros = tail === undefined ? [] : new Array<number>(8 - left.length - right.length).fill(0);
  return [...left, ...zeros, ...right];
}

function ipv6Refusal(address: string): string | null {
  const g = ipv6Groups(address);
  if (g.every((group) => group === 0)) return "unspecified";
  if (g.slice(0, 7).every((group) => group === 0) && g[7] === 1) return "loopback";
  const embedded = () => `${g[6]! >> 8}.${g[6]! & 0xff}.${g[7]! >> 8}.${g[7]! & 0xff}`;
  // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d) and NAT64 (64:ff9b::a.b.c.d) carry an IPv4 address.
  if (g.slice(0, 5).every((group) => group === 0) && (g[5] === 0xffff || g[5] === 0)) return ipv4Refusal(embedded());
  if (g[0] === 0x64 && g[1] === 0xff9b && g.slice(2, 6).every((group) => group === 0)) return ipv4Refusal(embedded());
  if ((g[0]! & 0xfe00) === 0xfc00) return "private (unique local)";
  if ((g[0]! & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0]! & 0xffc0) === 0xfec0) return "site-local";
  if ((g[0]! & 0xff00) === 0xff00) return "multicast";
  return null;
}

/** Why an IP address may not be called (loopback, private, ...), or null when it is public. */
export function addressRefusal(address: string): string | null {
  const version = isIP(address);
  if (version === 4) return ipv4Refusal(address);
  if (version === 6) return ipv6Refusal(address);
  return "not an IP address";
}

/** Resolves the URL's host and checks every address; returns the address to connect to. */
export async function checkedAddress(url: URL, policy: OutboundPolicy): Promise<{ address: string; family: number }> {
  const host = bareHost(url);
  const allowed = hostAllowed(host, policy.allowHosts);
  let addresses: { address: string; family: number }[];
  const literal = isIP(host);
  if (literal) {
    addresses = [{ address: host, family: literal }];
  } else {
    try {
      addresses = await (policy.lookup ?? defaultLookup)(host);
    } catch (error) {
      throw new OutboundError(`the host '${host}' could not be resolved (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`, "network");
    }
    if (addresses.length === 0) throw new OutboundError(`the host '${host}' has no address`, "network");
  }
  if (!allowed) {
    for (const { address } of addresses) {
      const why = addressRefusal(address);
      if (why) {
        throw new OutboundError(
          `calls to ${literal ? `address ${address}` : `'${host}' (${address})`} are refused: it is a ${why} address (an administrator can allow the host in FLOW_HTTP_ALLOW_HOSTS)`,
          "refused",
        );
      }
    }
  }
  return addresses[0]!;
}

export type OutboundRequest = {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** The whole exchange (every redirect and the body) must end within this. */
  timeoutMs: number;
};

export type OutboundResponse = { status: number; headers: Record<string, string>; body: Buffer; url: string; redirects: number };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** Sends the request under the policy, following redirects by hand (each hop checked again). */
export async function outboundRequest(request: OutboundRequest, policy: OutboundPolicy): Promise<OutboundResponse> {
  const controller = new AbortController();
  const deadline = setTimeout(() => controller.abort(), request.timeoutMs);
  const timedOut = () => new OutboundError(`no complete answer within ${request.timeoutMs} ms`, "timeout");
  try {
    let url = parseOutboundUrl(request.url);
    let method = request.method.toUpperCase();
    let body = request.body;
    let headers = { ...(request.headers ?? {}) };
    const maxRedirects = policy.maxRedirects ?? DEFAULT_MAX_REDIRECTS;
    for (let redirects = 0; ; redirects++) {
      const target = await Promise.race([
        checkedAddress(url, policy).catch((error: unknown) => {
          throw redirects > 0 && error instanceof OutboundError ? new OutboundError(`redirect to ${url.host} refused: ${error.message}`, error.kind) : error;
        }),
        new Promise<never>((_, reject) => controller.signal.addEventListener("abort", () => reject(timedOut()), { once: true })),
      ]);
      const response = await send(url, method, headers, body, target, policy.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES, controller.signal, timedOut);
      const location = response.headers.location;
      if (!REDIRECTS.has(response.status) || !location) return { ...response, url: url.toString(), redirects };
      if (redirects >= maxRedirects) throw new OutboundError(`more than ${maxRedirects} redirects`, "redirects");
      let next: URL;
      try {
        next = parseOutboundUrl(new URL(location, url).toString());
      } catch (error) {
        throw new OutboundError(`redirect refused: ${(error as Error).message}`, "refused");
      }
      if (next.origin !== url.origin) {
        // Credentials are for the host they were written for.
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => !["authorization", "cookie"].includes(name.toLowerCase())));
      }
      if (response.status === 303 || ((response.status === 301 || response.status === 302) && method === "POST")) {
        method = method === "HEAD" ? "HEAD" : "GET";
        body = undefined;
        headers = Object.fromEntries(Object.entries(headers).filter(([name]) => name.toLowerCase() !== "content-type"));
      }
      url = next;
    }
  } finally {
    clearTimeout(deadline);
  }
}

function send(
  url: URL,
  method: string,
  headers: Record<string, string>,
  body: string | undefined,
  target: { address: string; family: number },
  maxBytes: number,
  signal: AbortSignal,
  timedOut: () => OutboundError,
): Promise<Omit<OutboundResponse, "url" | "redirects">> {
  // The socket connects to the checked address, whatever DNS answers now.
  const lookup: LookupFunction = (_hostname, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (error: null, addresses: { address: string; family: number }[]) => void)(null, [target]);
    else callback(null, target.address, target.family);
  };
  const client = url.protocol === "https:" ? https : http;
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(timedOut());
    const outgoing = client.request(
      url,
      {
        method,
        headers: { "user-agent": "ObjectStudio-Flow/1.0", ...headers, ...(body !== undefined ? { "content-length": String(Buffer.byteLength(body)) } : {}) },
        lookup,
        signal,
        agent: false,
      },
      (incoming) => {
        const declared = Number(incoming.headers["content-length"]);
        const tooLarge = () => new OutboundError(`the response is larger than ${maxBytes.toLocaleString("en-US")} bytes`, "too_large");
        if (Number.isFinite(declared) && declared > maxBytes) {
          reject(tooLarge());
          return void incoming.destroy();
        }
        const chunks: Buffer[] = [];
        let size = 0;
        incoming.on("data", (chunk: Buffer) => {
          size += chunk.length;
          if (size > maxBytes) {
            reject(tooLarge());
            return void incoming.destroy();
          }
          chunks.push(chunk);
        });
        incoming.on("error", (error) => reject(signal.aborted ? timedOut() : new OutboundError(`the response broke off: ${error.message}`, "network")));
        incoming.on("aborted", () => reject(signal.aborted ? timedOut() : new OutboundError("the response broke off", "network")));
        incoming.on("end", () => {
          const flat: Record<string, string> = {};
          for (const [name, value] of Object.entries(incoming.headers)) if (value !== undefined) flat[name] = Array.isArray(value) ? value.join(", ") : value;
          resolve({ status: incoming.statusCode ?? 0, headers: flat, body: Buffer.concat(chunks) });
        });
      },
    );
    outgoing.on("error", (error: NodeJS.ErrnoException) => {
      reject(signal.aborted ? timedOut() : error instanceof OutboundError ? error : new OutboundError(`${url.host}: ${error.code ?? error.message}`, "network"));
    });
    if (body !== undefined) outgoing.write(body);
    outgoing.end();
  });
}

/** Methods that may be sent again without changing the outcome. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);

export type RetryOptions = {
  retries: number;
  /** POST and PATCH are only sent again when this says so. */
  retryNonIdempotent?: boolean;
  baseDelayMs?: number;
  sleep?: (ms: number) => Promise<void>;
};

/**
 * outboundRequest with retries after a 5xx answer or a network failure (never after a refusal,
 * a too-large answer or a 4xx), waiting baseDelayMs * 2^attempt (with jitter) in between.
 */
export async function outboundRequestWithRetry(request: OutboundRequest, policy: OutboundPolicy, retry: RetryOptions): Promise<OutboundResponse & { attempts: number }> {
  const mayRetry = IDEMPOTENT_METHODS.has(request.method.toUpperCase()) || retry.retryNonIdempotent === true;
  const retries = mayRetry ? retry.retries : 0;
  const sleep = retry.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  for (let attempt = 0; ; attempt++) {
    const last = attempt >= retries;
    try {
      const response = await outboundRequest(request, policy);
      if (response.status < 500 || last) return { ...response, attempts: attempt + 1 };
    } catch (error) {
      if (last || !(error instanceof OutboundError) || !error.retryable) throw error;
    }
    const base = (retry.baseDelayMs ?? 250) * 2 ** attempt;
    await sleep(Math.min(10_000, base + Math.floor(Math.random() * base * 0.2)));
  }
}
