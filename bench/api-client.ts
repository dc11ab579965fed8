/**
 * What `bench api` needs from a running server, over HTTP as any client would: a session cookie
 * (next-auth's credentials sign-in), an API key made by that user, and an opportunity's id.
 */
export type BenchIdentity = { cookie: string; apiKey: string; recordId: string };

function cookiesFrom(response: Response): string[] {
  return response.headers.getSetCookie().map((cookie) => cookie.split(";")[0]!);
}

/** Signs in with email and password; returns the Cookie header to send. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const jar = cookiesFrom(csrf);
  const response = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.join("; "), origin: baseUrl, "sec-fetch-site": "same-origin" },
    body: new URLSearchParams({ csrfToken, email, password, json: "true", callbackUrl: `${baseUrl}/` }),
  });
  const session = cookiesFrom(response).find((cookie) => cookie.includes("session-token"));
  if (!session) throw new Error(`bench api: sign-in as ${email} failed (HTTP ${response.status})`);
  return [...jar, session].join("; ");
}

async function trpc<T>(baseUrl: string, cookie: string, path: string, input: unknown, kind: "query" | "mutation"): Promise<T> {
  const body = JSON.stringify({ json: input });
  const response =
    kind === "query"
      ? await fetch(`${baseUrl}/api/trpc/${path}?input=${encodeURIComponent(body)}`, { headers: { cookie } })
      : await fetch(`${baseUrl}/api/trpc/${path}`, { method: "POST", headers: { cookie, "content-type": "application/json", origin: baseUrl }, body });
  const json = (await response.json()) as { result?: { data: { json: T } }; error?: unknown };
  if (!response.ok || !json.result) throw new Error(`bench api: ${path} answered ${response.status}: ${JSON.stringify(json.error)}`);
  return json.result.data.json;
}

export async function benchIdentity(baseUrl: string, who: { email: string; password: string }, object: string): Promise<BenchIdentity> {
  const cookie = await signIn(baseUrl, who.email, who.password);
  const { key } = await trpc<{ key: string }>(baseUrl, cookie, "apiKeys.create", { name: `bench ${new Date().toISOString()}` }, "mutation");
  const page = await trpc<{ records: { id: string }[] }>(baseUrl, cookie, "data.find", { object, limit: 1 }, "query");
  const recordId = page.records[0]?.id;
  if (!recordId) throw new Error(`bench api: ${who.email} sees no ${object} records`);
  return { cookie, apiKey: key, recordId };
}
