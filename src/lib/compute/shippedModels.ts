/**
 * The models the app ships (data/models/<name>/), as URLs of their files that Vite
 * emits. A glob, so the app builds before the models exist and picks up new ones.
 */
const urls = import.meta.glob<string>('/data/models/*/{config.json,model.safetensors,special_tokens.json}', {
  query: '?url',
  import: 'default',
  eager: true,
});

/** Shipped model name → file name → URL; only folders with config.json and model.safetensors. */
export function shippedModels(): Map<string, Record<string, string>> {
  const byModel = new Map<string, Record<string, string>>();
  for (const [path, url] of Object.entries(urls)) {
    const m = /\/data\/models\/([^/]+)\/([^/]+)$/.exec(path);
    if (!m) continue;
    const files = byModel.get(m[1]) ?? {};
    files[m[2]] = url;
    byModel.set(m[1], files);
  }
  for (const [name, files] of byModel) if (!files['config.json'] || !files['model.safetensors']) byModel.delete(name);
  return new Map([...byModel].sort(([a], [b]) => a.localeCompare(b)));
}
