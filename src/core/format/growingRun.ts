/**
 * A run that grows while it is computed: the compute worker pushes each record's JSONL
 * line, and from time to time takes the run so far as columns to hand to the page.
 * Lines are read by the run reader (parseRun) once each, in chunks of the lines pushed
 * since the last snapshot, and each chunk's columns are appended to growing ones
 * (capacity doubled as needed): the work of a run is linear in its size, where reading
 * every line again at each update was quadratic. The records are gradlens's own
 * (sampleStats): per-matrix statistics, loss, texts and extras, and in the unified
 * format the follow-up's S_list spectra and cosine_sim maps (the same-layer cosines are
 * pair modules' values like any statistic).
 */
import { parseRun } from './runParser.ts';
import type { Spectra } from './followup.ts';
import type { ParsedRun, Run, SkippedLine } from './run.ts';

/**
 * Whether to take a snapshot now that `count` records are in and the last one showed
 * `last`: every record at first (the chart appears at once), then every `every`
 * records, spacing out to every last/8 records as the run grows (each snapshot copies
 * the run: ~40 of them for 1000 records), and always at the end.
 * Example (every 4): 1, 2, 6, 10, …, 38, 42, 47, 52, …
 */
export function shouldUpdate(count: number, last: number, every: number, final: boolean): boolean {
  if (final || count <= 2) return count > last || final;
  return count - last >= Math.max(1, every, Math.floor(last / 8));
}

/** Snapshots after the first two records come every this many records (spacing out, see shouldUpdate). */
const UPDATE_EVERY = 4;

function grown<T extends Float64Array | Float32Array | Uint32Array | Uint8Array>(a: T, needed: number, make: (n: number) => T, fill?: number): T {
  if (a.length >= needed) return a;
  const b = make(Math.max(needed, 2 * a.length));
  if (fill !== undefined) b.fill(fill, a.length);
  b.set(a);
  return b;
}

/** Columns of the samples read so far, with room to grow. */
class Columns {
  samples = 0;
  layerCount = 0;
  modules: string[] = [];
  stats: string[] = [];
  values = new Map<string, Map<string, Float64Array>>();
  loss = new Float64Array(0);
  textBytes = new Uint8Array(0);
  textLength = 0;
  ends = new Uint32Array(0);
  skipped: SkippedLine[] = [];
  bytes = 0;
  /** Per module: each cell's (sample × layerCount + layer) list length, and the lists one after another in cell order. */
  spectra = new Map<string, { lengths: Uint32Array; values: Float32Array; used: number; longest: number }>();
  /** Per projection module: samples × layerCount × layerCount cosines. */
  cosine = new Map<string, Float64Array>();

  /** Appends a chunk's samples; modules, statistics or layers new in the chunk get NaN for the samples before. */
  append(chunk: ParsedRun, firstLine: number): void {
    const n = chunk.sampleCount;
    const total = this.samples + n;
    if (chunk.layerCount > this.layerCount) this.restride(chunk.layerCount);
    for (const m of chunk.modules) if (!this.modules.includes(m)) this.modules.push(m);
    for (const s of chunk.stats) if (!this.stats.includes(s)) this.stats.push(s);
    const L = this.layerCount;
    for (const m of this.modules) {
      let byStat = this.values.get(m);
      if (!byStat) this.values.set(m, (byStat = new Map()));
      // A (module, statistic) pair is a column once some record has it, as the reader makes
      // them: a follow-up Q×O pair module holds cosine_sim_qkvo only, never an all-NaN S_sum.
      for (const s of chunk.values.get(m)?.keys() ?? []) if (!byStat.has(s)) byStat.set(s, new Float64Array(0));
      for (const s of byStat.keys()) {
        const column = grown(byStat.get(s)!, total * L, (k) => new Float64Array(k).fill(NaN), NaN);
        byStat.set(s, column);
        const from = chunk.values.get(m)?.get(s);
        for (let i = 0; i < n; i++) {
          const row = (this.samples + i) * L;
          for (let l = 0; l < L; l++) column[row + l] = from && l < chunk.layerCount ? from[i * chunk.layerCount + l] : NaN;
        }
      }
    }
    this.loss = grown(this.loss, total, (k) => new Float64Array(k));
    this.loss.set(chunk.loss.subarray(0, n), this.samples);
    const { bytes, ends } = chunk.texts;
    const used = n === 0 ? 0 : ends[4 * n - 1];
    this.textBytes = grown(this.textBytes, this.textLength + used, (k) => new Uint8Array(k));
    this.textBytes.set(bytes.subarray(0, used), this.textLength);
    this.ends = grown(this.ends, 4 * total, (k) => new Uint32Array(k));
    for (let k = 0; k < 4 * n; k++) this.ends[4 * this.samples + k] = this.textLength + ends[k];
    this.textLength += used;
    this.appendFollowup(chunk, total);
    for (const s of chunk.skipped) this.skipped.push({ line: s.line + firstLine - 1, reason: s.reason });
    this.bytes += chunk.bytes;
    this.samples = total;
  }

  /** Appends a chunk's S_list spectra and cosine maps (cells of samples before a module's first list stay empty / NaN). */
  private appendFollowup(chunk: Run, total: number): void {
    const n = chunk.sampleCount;
    const L = this.layerCount;
    const CL = chunk.layerCount;
    for (const m of chunk.spectra?.keys() ?? []) {
      if (!this.spectra.has(m)) this.spectra.set(m, { lengths: new Uint32Array(0), values: new Float32Array(0), used: 0, longest: 0 });
    }
    for (const [m, s] of this.spectra) {
      s.lengths = grown(s.lengths, total * L, (k) => new Uint32Array(k));
      const from: Spectra | undefined = chunk.spectra?.get(m);
      if (from === undefined) continue;
      s.values = grown(s.values, s.used + from.values.length, (k) => new Float32Array(k));
      s.longest = Math.max(s.longest, from.longest);
      for (let i = 0; i < n; i++) {
        for (let l = 0; l < CL; l++) {
          const c = i * CL + l;
          const len = from.offsets[c + 1] - from.offsets[c];
          s.values.set(from.values.subarray(from.offsets[c], from.offsets[c + 1]), s.used);
          s.used += len;
          s.lengths[(this.samples + i) * L + l] = len;
        }
      }
    }
    for (const m of chunk.cosineSim?.keys() ?? []) if (!this.cosine.has(m)) this.cosine.set(m, new Float64Array(0));
    for (const [m, c] of this.cosine) {
      const column = grown(c, total * L * L, (k) => new Float64Array(k).fill(NaN), NaN);
      this.cosine.set(m, column);
      const from = chunk.cosineSim?.get(m);
      if (from === undefined) continue;
      for (let i = 0; i < n; i++) {
        for (let a = 0; a < CL; a++) column.set(from.subarray((i * CL + a) * CL, (i * CL + a + 1) * CL), ((this.samples + i) * L + a) * L);
      }
    }
  }

  /** Lays every column out again for `layers` layers per sample (NaN in the new ones). */
  private restride(layers: number): void {
    const old = this.layerCount;
    for (const byStat of this.values.values()) {
      for (const [s, column] of byStat) {
        const wider = new Float64Array(Math.max(1, this.samples) * layers).fill(NaN);
        for (let i = 0; i < this.samples; i++) wider.set(column.subarray(i * old, (i + 1) * old), i * layers);
        byStat.set(s, wider);
      }
    }
    for (const [m, s] of this.spectra) {
      const lengths = new Uint32Array(Math.max(1, this.samples) * layers);
      for (let i = 0; i < this.samples; i++) lengths.set(s.lengths.subarray(i * old, (i + 1) * old), i * layers);
      this.spectra.set(m, { ...s, lengths });
    }
    for (const [m, c] of this.cosine) {
      const wider = new Float64Array(Math.max(1, this.samples) * layers * layers).fill(NaN);
      for (let i = 0; i < this.samples; i++) for (let a = 0; a < old; a++) wider.set(c.subarray((i * old + a) * old, (i * old + a + 1) * old), (i * layers + a) * layers);
      this.cosine.set(m, wider);
    }
    this.layerCount = layers;
  }

  /** The spectra and cosine maps of the first `samples` samples, as a Run holds them (absent when there are none). */
  followup(): Pick<Run, 'spectra' | 'cosineSim'> {
    const cells = this.samples * this.layerCount;
    const out: Pick<Run, 'spectra' | 'cosineSim'> = {};
    if (this.spectra.size > 0) {
      out.spectra = new Map();
      for (const [m, s] of this.spectra) {
        const offsets = new Uint32Array(cells + 1);
        for (let c = 0; c < cells; c++) offsets[c + 1] = offsets[c] + s.lengths[c];
        out.spectra.set(m, { offsets, values: s.values.slice(0, s.used), longest: s.longest });
      }
    }
    if (this.cosine.size > 0) {
      out.cosineSim = new Map();
      for (const [m, c] of this.cosine) out.cosineSim.set(m, c.slice(0, cells * this.layerCount));
    }
    return out;
  }
}

/** A run growing line by line (see the module comment); snapshots are fresh copies a worker can transfer. */
export class GrowingRun {
  private readonly columns = new Columns();
  private readonly encoder = new TextEncoder();
  private pending: string[] = [];
  private lines = 0;
  private shown = 0;
  private first: Run | null = null;

  /** `file`: a release-layout path, so the reader labels the run; `id`: the run's id in every snapshot. */
  constructor(
    readonly file: string,
    readonly id: string,
    readonly name?: string,
  ) {}

  /** Records pushed so far. */
  get count(): number {
    return this.lines;
  }

  /** Adds one JSONL line (no trailing newline); returns a snapshot when one is due (see shouldUpdate), else null. */
  push(line: string): Run | null {
    this.pending.push(line);
    this.lines++;
    return shouldUpdate(this.lines, this.shown, UPDATE_EVERY, false) ? this.snapshot() : null;
  }

  /** The last snapshot: the whole run, or null when nothing came since the last one (or nothing at all). */
  finish(): Run | null {
    return this.lines > this.shown ? this.snapshot() : null;
  }

  /** The run so far, in new buffers (transferable); null before the first record. Throws the reader's error when a chunk holds no usable record. */
  snapshot(): Run | null {
    if (this.pending.length) {
      const firstLine = this.lines - this.pending.length + 1;
      const chunk = parseRun(this.file, this.encoder.encode(`${this.pending.join('\n')}\n`), { id: this.id, name: this.name });
      this.pending = [];
      this.first ??= chunk;
      this.columns.append(chunk, firstLine);
    }
    this.shown = this.lines;
    const c = this.columns;
    if (c.samples === 0 || this.first === null) return null;
    const values = new Map<string, Map<string, Float64Array>>();
    for (const m of c.modules) {
      const byStat = new Map<string, Float64Array>();
      for (const [s, column] of c.values.get(m)!) byStat.set(s, column.slice(0, c.samples * c.layerCount));
      values.set(m, byStat);
    }
    const { id, name, file, meta } = this.first;
    return {
      id,
      name,
      file,
      meta,
      sampleCount: c.samples,
      layerCount: c.layerCount,
      modules: c.modules.slice(),
      stats: c.stats.slice(),
      values,
      loss: c.loss.slice(0, c.samples),
      texts: { bytes: c.textBytes.slice(0, c.textLength), ends: c.ends.slice(0, 4 * c.samples) },
      skipped: c.skipped.slice(),
      bytes: c.bytes,
      ...c.followup(),
    };
  }
}
