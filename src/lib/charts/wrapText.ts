/**
 * Text wrapped to a width instead of cut: labels keep every character (the difference
 * between runs is often at the end). Widths are measured with a canvas where there is
 * one (no layout is forced), else estimated at 0.58 em per character.
 */

let context: CanvasRenderingContext2D | null | undefined;

/** Width of `text` at `fontSize` in the app's sans-serif font, in the same units as `fontSize`. */
export function textWidth(text: string, fontSize: number): number {
  if (context === undefined) {
    try {
      context = typeof document === 'undefined' ? null : document.createElement('canvas').getContext('2d');
    } catch {
      context = null;
    }
  }
  if (!context) return text.length * fontSize * 0.58;
  context.font = `100px system-ui, sans-serif`;
  return (context.measureText(text).width / 100) * fontSize;
}

/**
 * `text` in lines no wider than `maxWidth`, broken after " · " separators and spaces,
 * and inside a word only where a word alone is too wide (after `_`, `/`, `-`, else
 * anywhere). Nothing is dropped: the lines joined give the text back.
 * Example: "llama3_8b · gsm8k_train · None CoT", narrow → ["llama3_8b ·", "gsm8k_train ·", "None CoT"].
 */
export function wrapText(text: string, maxWidth: number, fontSize: number): string[] {
  if (text === '') return [];
  const words = text.split(/(?<= )/);
  const lines: string[] = [];
  let line = '';
  const fits = (t: string) => textWidth(t.trimEnd(), fontSize) <= maxWidth;
  for (const word of words) {
    if (fits(line + word)) {
      line += word;
      continue;
    }
    if (line) lines.push(line.trimEnd());
    line = '';
    let rest = word;
    while (!fits(rest) && rest.length > 1) {
      let cut = rest.length - 1;
      while (cut > 1 && !fits(rest.slice(0, cut))) cut--;
      const soft = Math.max(rest.lastIndexOf('_', cut - 1), rest.lastIndexOf('/', cut - 1), rest.lastIndexOf('-', cut - 1));
      if (soft > 0) cut = soft + 1;
      lines.push(rest.slice(0, cut));
      rest = rest.slice(cut);
    }
    line = rest;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}
