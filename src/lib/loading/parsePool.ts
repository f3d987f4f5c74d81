/**
 * Spreading parse jobs over a few parse services (workers, in the app): files loaded
 * together (a release tree, a multi-select) are read in parallel. Pure logic, no
 * Worker: the app's pool is made in parseClient.ts.
 */
import type { ParseProgress, ParseRequest, ParseResult } from '../../workers/parseHandler.ts';

/** What AppState needs from a parser (the worker pool in the app, the handler itself in tests). */
export interface ParseService {
  parse(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParseResult>;
  cancel(jobId: string): void;
}

/** How many workers read files at once: one per core, at most four (each holds its runs' columns while it reads). */
export function poolSize(cores: number | undefined): number {
  return Math.max(1, Math.min(4, Math.floor(cores ?? 2)));
}

/** A service of the pool and how many jobs it is running. */
interface Member {
  service: ParseService;
  running: number;
}

/**
 * A ParseService spreading jobs over up to `size` services made by `create` (started on
 * first need): a job goes to an idle service, else to a new one while fewer than `size`
 * exist, else to the one with the fewest running jobs (the first such in start order);
 * a cancel goes to the one running that job.
 */
export function parseServicePool(create: () => ParseService, size: number): ParseService {
  const members: Member[] = [];
  const owner = new Map<string, Member>();
  const pick = (): Member => {
    const idle = members.find((m) => m.running === 0);
    if (idle) return idle;
    if (members.length < size) {
      const fresh = { service: create(), running: 0 };
      members.push(fresh);
      return fresh;
    }
    return members.reduce((a, b) => (b.running < a.running ? b : a));
  };
  return {
    async parse(request, onProgress) {
      const member = pick();
      member.running++;
      owner.set(request.jobId, member);
      try {
        return await member.service.parse(request, onProgress);
      } finally {
        member.running--;
        owner.delete(request.jobId);
      }
    },
    cancel(jobId) {
      owner.get(jobId)?.service.cancel(jobId);
    },
  };
}
