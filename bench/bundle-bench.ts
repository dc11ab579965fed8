import type { Browser, BrowserContextOptions, Page } from "@playwright/test";
import { gzipSync } from "node:zlib";

export type BundleSize = { totalKb: number; chunks: { name: string; kb: number }[] };

/**
 * What a route costs to load: the gzipped size of every `<script src>` its server-rendered
 * HTML references (Next 16's build output no longer prints "First Load JS"). Fetched with the
 * page's cookies, so a signed-in route's own HTML is measured, not the sign-in page's. Chunks
 * loaded later (dynamic imports: dialogs, editors) are not part of the first load.
 */
export async function measureBundle(page: Page, url: string): Promise<BundleSize> {
  const response = await page.request.get(url);
  if (!response.ok()) throw new Error(`bench bundle: GET ${url} answered ${response.status()}`);
  const html = await response.text();
  // `nomodule` scripts (legacy polyfills) are not downloaded by the browsers the app supports.
  const tags = [...html.matchAll(/<script\b[^>]*>/g)].map((match) => match[0]).filter((tag) => !/\bnomodule\b/i.test(tag));
  const sources = [...new Set(tags.flatMap((tag) => [...tag.matchAll(/\bsrc="([^"]+)"/g)].map((match) => match[1]!.replaceAll("&amp;", "&"))))];
  if (sources.length === 0) throw new Error(`bench bundle: no <script src> in the HTML of ${url}`);
  const chunks = await Promise.all(
    sources.map(async (source) => {
      const chunk = await page.request.get(new URL(source, url).toString());
      if (!chunk.ok()) throw new Error(`bench bundle: GET ${source} answered ${chunk.status()}`);
      return { name: source.split("/").pop() ?? source, kb: gzipSync(await chunk.body(), { level: 9 }).length / 1024 };
    }),
  );
  chunks.sort((a, b) => b.kb - a.kb);
  return { totalKb: chunks.reduce((sum, chunk) => sum + chunk.kb, 0), chunks };
}

/**
 * What a route really loads: every script the page fetched by the time the network is idle
 * (the HTML's scripts and the chunks the page loads right after: the grid's drag and drop,
 * lazily split components rendered at once, prefetched routes), gzipped. Measured in a fresh
 * browser context with the session's cookies, so nothing comes from an earlier page's cache.
 */
export async function measureScriptsAfterIdle(browser: Browser, storageState: BrowserContextOptions["storageState"], url: string): Promise<BundleSize> {
  const context = await browser.newContext({ storageState, viewport: { width: 1440, height: 900 } });
  try {
    const page = await context.newPage();
    const bodies = new Map<string, Promise<Buffer | null>>();
    page.on("response", (response) => {
      if (response.request().resourceType() !== "script" || !response.ok() || bodies.has(response.url())) return;
      // Read at once: a body is gone once the page navigates or closes.
      bodies.set(response.url(), response.body().catch(() => null));
    });
    const response = await page.goto(url, { waitUntil: "networkidle" });
    if (!response?.ok()) throw new Error(`bench bundle: ${url} answered ${response?.status()}`);
    if (new URL(page.url()).pathname !== new URL(url).pathname) throw new Error(`bench bundle: ${url} went to ${page.url()} (not signed in?)`);
    const chunks = [];
    for (const [source, body] of bodies) {
      const bytes = await body;
      if (!bytes) throw new Error(`bench bundle: no body for the script ${source}`);
      chunks.push({ name: source.split("/").pop() ?? source, kb: gzipSync(bytes, { level: 9 }).length / 1024 });
    }
    if (chunks.length === 0) throw new Error(`bench bundle: ${url} loaded no scripts`);
    chunks.sort((a, b) => b.kb - a.kb);
    return { totalKb: chunks.reduce((sum, chunk) => sum + chunk.kb, 0), chunks };
  } finally {
    await context.close();
  }
}
