/**
 * Which `?src=` URLs a link may make the app fetch: its own site's at once, other
 * https sites only once the user agrees (a link must not make the browser reach
 * servers, such as ones on local ports, behind the user's back), anything else never
 * (plain http elsewhere, file:, data:…; the Content-Security-Policy blocks those too).
 */

/** `?src=` URLs sorted by what may be done with them; `load` and `ask` hold absolute URLs. */
export interface SourceUrls {
  load: string[];
  ask: string[];
  refused: { url: string; reason: string }[];
}

/**
 * Sorts `srcs` (as written in the link; relative ones are this site's) for a page at
 * `origin` (e.g. `https://app.example`). Example: on `http://127.0.0.1:4173`,
 * `['a.jsonl', 'https://x.org/b.jsonl', 'http://127.0.0.1:8080/c']` →
 * load `http://127.0.0.1:4173/a.jsonl`, ask `https://x.org/b.jsonl`, refuse the third.
 */
export function sortSourceUrls(srcs: readonly string[], origin: string): SourceUrls {
  const out: SourceUrls = { load: [], ask: [], refused: [] };
  for (const src of srcs) {
    let url: URL;
    try {
      url = new URL(src, origin);
    } catch {
      out.refused.push({ url: src, reason: 'not a URL' });
      continue;
    }
    if (url.origin === origin) out.load.push(src);
    else if (url.protocol === 'https:') out.ask.push(url.href);
    else out.refused.push({ url: src, reason: 'only this site’s own files or https URLs are fetched' });
  }
  return out;
}

/** The distinct sites (origins) of some URLs, for asking about them. */
export function sitesOf(urls: readonly string[]): string[] {
  return [...new Set(urls.map((u) => new URL(u).origin))];
}
