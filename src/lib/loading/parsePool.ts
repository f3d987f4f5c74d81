/**
 * Spreading parse jobs over a few parse services (workers, in the app): one job per
 * worker at a time, the rest waiting in a queue, so 1000 files start at most as many
 * workers as the pool holds and a worker's memory holds one file's columns at a time.
 * Pure logic, no Worker: the app's pool is made in parseClient.ts.
 */
import type { ParseProgress, ParseRequest, ParseResult, StoreOutcome } from '../../workers/parseHandler.ts';

/** What AppState needs from a parser (the worker pool in the app, the handler itself in tests). */
export interface ParseService {
  parse(request: ParseRequest, onProgress: (progress: ParseProgress) => void): Promise<ParseResult>;
  cancel(jobId: string): void;
  /** What became of saving run `runId`, asked by its request's `save`. */
  stored(runId: string): Promise<StoreOutcome>;
  /** Stops the service at once (a worker is terminated); optional. */
  terminate?(): void;
  /** Starts a worker ahead of the first job, so the first file does not wait for one to load; optional. */
  warm?(): void;
}

/** How many workers read files at once: one per core but the one the page runs on, at least one. */
export function poolSize(cores: number | undefined): number {
  return Math.max(1, Math.floor(cores ?? 2) - 1);
}

/** How long a running job may take to stop after Cancel before its worker is terminated. */
export const CANCEL_GRACE_MS = 100;

const CANCELLED: ParseResult = { ok: false, cancelled: true, message: 'Cancelled', line: null };
const STOPPED: StoreOutcome = { ok: false, message: 'the worker was stopped before it saved the run', quota: false, retry: true };

/** A service of the pool and the job it is running. */
interface Member {
  service: ParseService;
  job: string | null;
  /** Runs it parsed whose `stored` has not been answered yet. */
  runs: Set<string>;
  /** Resolves when the service is terminated. */
  stopped: Promise<StoreOutcome>;
  markStopped: () => void;
}

function makeMember(service: ParseService): Member {
  let markStopped = () => {};
  const stopped = new Promise<StoreOutcome>((resolve) => (markStopped = () => resolve(STOPPED)));
  return { service, job: null, runs: new Set(), stopped, markStopped };
}

interface Job {
  request: ParseRequest;
  onProgress: (progress: ParseProgress) => void;
  resolve: (result: ParseResult) => void;
  member: Member | null;
}

/**
 * A ParseService over up to `size` services made by `create` (started on first need).
 * A job goes to an idle service, else to a new one while fewer than `size` exist, else
 * waits. A cancel drops a waiting job at once; a running one is asked to stop, and if
 * it has not within CANCEL_GRACE_MS (a step that does not yield), its service is
 * terminated and replaced; saves that service still owed answer `retry`.
 */
export function parseServicePool(create: () => ParseService, size: number, graceMs = CANCEL_GRACE_MS): ParseService {
  const members: Member[] = [];
  const waiting: Job[] = [];
  const jobs = new Map<string, Job>();
  const savedBy = new Map<string, Member>();

  const finish = (job: Job, result: ParseResult) => {
    if (!jobs.has(job.request.jobId)) return;
    jobs.delete(job.request.jobId);
    if (job.member && job.member.job === job.request.jobId) job.member.job = null;
    job.resolve(result);
    pump();
  };

  const start = (job: Job, member: Member) => {
    member.job = job.request.jobId;
    job.member = member;
    member.service.parse(job.request, job.onProgress).then(
      (result) => {
        if (result.ok && job.request.save && members.includes(member)) {
          member.runs.add(job.request.runId);
          savedBy.set(job.request.runId, member);
        }
        finish(job, result);
      },
      (error: unknown) => finish(job, { ok: false, cancelled: false, message: String(error), line: null }),
    );
  };

  function pump(): void {
    while (waiting.length) {
      let member = members.find((m) => m.job === null);
      if (!member && members.length < size) {
        member = makeMember(create());
        members.push(member);
      }
      if (!member) return;
      start(waiting.shift()!, member);
    }
  }

  const stop = (member: Member) => {
    members.splice(members.indexOf(member), 1);
    member.service.terminate?.();
    member.markStopped();
    for (const runId of member.runs) savedBy.delete(runId);
  };

  return {
    parse(request, onProgress) {
      return new Promise<ParseResult>((resolve) => {
        const job: Job = { request, onProgress, resolve, member: null };
        jobs.set(request.jobId, job);
        waiting.push(job);
        pump();
      });
    },
    cancel(jobId) {
      const job = jobs.get(jobId);
      if (!job) return;
      const queued = waiting.indexOf(job);
      if (queued >= 0) {
        waiting.splice(queued, 1);
        finish(job, CANCELLED);
        return;
      }
      const member = job.member!;
      member.service.cancel(jobId);
      if (!member.service.terminate) return;
      setTimeout(() => {
        if (!jobs.has(jobId)) return;
        stop(member);
        finish(job, CANCELLED);
      }, graceMs);
    },
    async stored(runId) {
      const member = savedBy.get(runId);
      if (!member) return STOPPED;
      // A service terminated while this is asked never answers: its stop answers instead.
      const outcome = await Promise.race([member.service.stored(runId).catch((): StoreOutcome => STOPPED), member.stopped]);
      savedBy.delete(runId);
      member.runs.delete(runId);
      return outcome;
    },
    warm() {
      if (members.length === 0 && size > 0) members.push(makeMember(create()));
    },
    terminate() {
      for (const member of members.slice()) stop(member);
      for (const job of [...jobs.values()]) finish(job, CANCELLED);
    },
  };
}
