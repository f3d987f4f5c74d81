/**
 * Which files inside a folder are statistics files: what the app's folder picker and
 * the CLI's folder arguments keep, so a release tree with READMEs in it loads just the runs.
 */

const STATS_FILE = /\.(jsonl|json|ndjson)(\.gz)?$|\.gz$/i;

/** Whether a file found inside a folder looks like a statistics file. Example: `grads_x.jsonl.gz` → true, `README.md` → false. */
export function isStatsFile(name: string): boolean {
  return STATS_FILE.test(name);
}
