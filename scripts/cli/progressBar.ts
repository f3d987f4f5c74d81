/** The progress line `gradlens compute` draws on stderr. */
import type { ComputeProgress } from '../../src/core/model/computeRecords';

/** A one-line progress bar for stderr. */
export function progressBar(p: ComputeProgress, width = 28): string {
  const filled = p.total ? Math.round((width * p.done) / p.total) : width;
  const eta = p.secondsLeft >= 60 ? `${Math.floor(p.secondsLeft / 60)}m${String(Math.round(p.secondsLeft % 60)).padStart(2, '0')}s` : `${Math.round(p.secondsLeft)}s`;
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${p.done}/${p.total}  ${p.samplesPerSecond.toFixed(2)} samples/s  ${eta} left`;
}
