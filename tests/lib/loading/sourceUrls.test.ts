import { describe, expect, it } from 'vitest';
import { sitesOf, sortSourceUrls } from '../../../src/lib/loading/sourceUrls.ts';

describe('sortSourceUrls', () => {
  it('loads the page’s own files, asks about other https sites and refuses the rest', () => {
    const sorted = sortSourceUrls(
      [
        'data/a.jsonl',
        'http://127.0.0.1:4173/b.jsonl',
        'https://hf.example/c.jsonl',
        'http://127.0.0.1:8080/admin',
        'http://localhost:4173/d.jsonl',
        'file:///etc/passwd',
        'javascript:alert(1)',
      ],
      'http://127.0.0.1:4173',
    );
    expect(sorted.load).toEqual(['data/a.jsonl', 'http://127.0.0.1:4173/b.jsonl']);
    expect(sorted.ask).toEqual(['https://hf.example/c.jsonl']);
    expect(sorted.refused.map((r) => r.url)).toEqual(['http://127.0.0.1:8080/admin', 'http://localhost:4173/d.jsonl', 'file:///etc/passwd', 'javascript:alert(1)']);
  });

  it('asks about an https URL on another port of the same host', () => {
    expect(sortSourceUrls(['https://app.test:8443/x.jsonl'], 'https://app.test').ask).toEqual(['https://app.test:8443/x.jsonl']);
  });

  it('sorts an empty list to nothing', () => {
    expect(sortSourceUrls([], 'https://app.test')).toEqual({ load: [], ask: [], refused: [] });
  });
});

describe('sitesOf', () => {
  it('lists each site once, in order', () => {
    expect(sitesOf(['https://a.test/1', 'https://b.test/2', 'https://a.test/3'])).toEqual(['https://a.test', 'https://b.test']);
  });
});
