/** Browser downloads: a Blob handed to a temporary `<a download>` click. */

/**
 * Saves `content` as a file named `fileName` (a string becomes a Blob of `mime`).
 * The object URL is revoked after the click has been handled.
 */
export function download(content: Blob | string, fileName: string, mime = 'text/plain;charset=utf-8'): void {
  const blob = typeof content === 'string' ? new Blob([content], { type: mime }) : content;
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.style.display = 'none';
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

/**
 * A file name from the figure or table kind, the statistic and an extension, safe on
 * every file system. Example: `exportFileName('curves', 'S_sum', 'svg')` → `"gradlens-curves-S_sum.svg"`.
 */
export function exportFileName(kind: string, stat: string, ext: string): string {
  const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_').replace(/^_+|_+$/g, '');
  return `gradlens-${safe(kind)}-${safe(stat)}.${ext}`;
}
