/**
 * The budgets of a read: how much one statistics file may ask of memory before the
 * reader refuses the part that asks too much. Sized from the study's release (at most
 * 4–7 modules, 7–8 statistics, 42 layers, lines of ~35 KB, files of ~200 MB) with wide
 * room; each is checked before anything is allocated for it. The CLI raises them with
 * `--budget name=value`, a caller of the core with `RunParserOptions.limits`.
 */

/** Budgets of one file. */
export interface ReadLimits {
  /** Distinct modules (q_proj, k_proj, …) a file may name. */
  modules: number;
  /** Distinct statistics (S_sum, M_max, …) per module. */
  stats: number;
  /** Layer indices 0 … layers − 1 are read; a record naming a deeper layer is set aside. */
  layers: number;
  /** Bytes of one line (one record of a JSON array): longer ones are set aside unread. */
  lineBytes: number;
  /** Bytes of text one file may hold after decompression; reading stops there. */
  fileBytes: number;
  /** Singular values kept per `S_list` for the spectrum views (the statistics use the whole list). */
  spectrumRanks: number;
}

const MB = 1 << 20;

/** The budgets a read has unless told otherwise. */
export const DEFAULT_LIMITS: Readonly<ReadLimits> = Object.freeze({
  modules: 64,
  stats: 32,
  layers: 1024,
  lineBytes: 64 * MB,
  fileBytes: 20e9,
  spectrumRanks: 1024,
});

/** How each budget is named on the command line (`--budget NAME=VALUE`) and in messages, with the unit its value is given in. */
export const LIMIT_NAMES: Readonly<Record<keyof ReadLimits, { name: string; unit: number; text: (value: number) => string }>> = {
  modules: { name: 'modules', unit: 1, text: (n) => `${n} modules per file` },
  stats: { name: 'stats', unit: 1, text: (n) => `${n} statistics per module` },
  layers: { name: 'layers', unit: 1, text: (n) => `${n} layers` },
  lineBytes: { name: 'line-mb', unit: MB, text: (n) => `${formatSize(n)} per line` },
  fileBytes: { name: 'file-gb', unit: 1e9, text: (n) => `${formatSize(n)} of text per file` },
  spectrumRanks: { name: 'spectrum-ranks', unit: 1, text: (n) => `${n} singular values kept per S_list` },
};

/**
 * The columns of a run may take this many bytes per byte of text read, plus
 * COLUMN_BYTES_FREE: a statistics file gives ~0.2 (a 35 KB line fills 7 KB of columns),
 * while records that leave most of their columns empty (modules or layers that come and
 * go from line to line) would otherwise turn a small file into gigabytes.
 */
export const COLUMN_BYTES_PER_TEXT_BYTE = 3;
export const COLUMN_BYTES_FREE = 64 * MB;

/** A size in bytes for messages: `64 MB`, `20 GB`, `512 bytes`. */
export function formatSize(bytes: number): string {
  if (bytes >= 1e9 && bytes % 1e9 === 0) return `${bytes / 1e9} GB`;
  if (bytes >= MB) return `${+(bytes / MB).toFixed(1)} MB`;
  if (bytes >= 1024) return `${+(bytes / 1024).toFixed(1)} KB`;
  return `${bytes} bytes`;
}

/** The budgets with `partial`'s values in place of the defaults. */
export function readLimits(partial: Partial<ReadLimits> = {}): ReadLimits {
  return { ...DEFAULT_LIMITS, ...partial };
}

/** Why a part of a file was refused: `the limit of 64 modules per file (raise it with --budget modules=N)`. */
export function beyondLimit(limit: keyof ReadLimits, value: number): string {
  const { name, text } = LIMIT_NAMES[limit];
  return `the limit of ${text(value)} (raise it with --budget ${name}=N)`;
}

/**
 * Reads `name=value` settings (the CLI's `--budget`) into budgets: `modules=128`,
 * `line-mb=256`, `file-gb=40`. Throws an Error with a one-line reason on an unknown name
 * or a value that is not a positive number (a whole one for counts). Empty list → the defaults.
 */
export function parseLimitSettings(settings: readonly string[]): ReadLimits {
  const limits = readLimits();
  for (const setting of settings) {
    const [name, text] = setting.split('=', 2);
    const key = (Object.keys(LIMIT_NAMES) as (keyof ReadLimits)[]).find((k) => LIMIT_NAMES[k].name === name?.trim());
    const value = Number(text);
    if (key === undefined) throw new Error(`unknown budget "${name}" in --budget ${setting}; budgets: ${Object.values(LIMIT_NAMES).map((l) => l.name).join(', ')}`);
    const count = key === 'modules' || key === 'stats' || key === 'layers' || key === 'spectrumRanks';
    if (!(value > 0) || !Number.isFinite(value)) throw new Error(`bad value in --budget ${setting}: a positive number`);
    if (count && !Number.isInteger(value)) throw new Error(`bad value in --budget ${setting}: a positive whole number`);
    limits[key] = count ? value : value * LIMIT_NAMES[key].unit;
  }
  return limits;
}
