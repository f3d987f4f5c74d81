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
  /** The page has drawn the runs it was given: saves asked by requests need wait no longer; optional. */
  saveNow?(): void;
}

/**
 * How many workers read files at once: one per core but the one the page runs on, at
 * least two. On two cores a second worker parses while the first waits for its next
 * read or hands its run over, and the page is idle most of a load (the bench's 12-file
 * release folder was listed in 1.3-2.0 s with two, 1.7-2.6 s with one).
 */
export function poolSize(cores: number | undefined): number {
  return Math.max(2, Math.floor(cores ?? 2) - 1);
}

/** How long a running job may take to stop after Cancel before its worker is terminated. */
export const CANCEL_GRACE_MS = 100;

const CANCELLED: ParseResult = { ok: false, cancelled: true, message: 'Cancelled', line: null };
const STOPPED: StoreOutcome = { ok: false, message: 'the worker was stopped before it saved the run', quota: false, retry: true };

/**
 * Jobs given to a worker at once: the next waits inside the worker, so the worker does
 * not sit idle while the page takes the previous run in.
 */
export const JOBS_PER_WORKER = 2;

/** A service of the pool and the jobs it has. */
interface Member {
  service: ParseService;
  jobs: Set<string>;
  /** Runs it parsed whose `stored` has not been answered yet. */
  runs: Set<string>;
  /** Resolves when the service is terminated. */
  stopped: Promise<StoreOutcome>;
  markStopped: () => void;
}

function makeMember(service: ParseService): Member {
  let markStopped = () => {};
  const stopped = new Promise<StoreOutcome>((resolve) => (markStopped = () => resolve(STOPPED)));
  return { service, jobs: new Set(), runs: new Set(), stopped, markStopped };
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
 * to the least busy one with fewer than JOBS_PER_WORKER jobs, else waits. A cancel
 * drops a waiting job at once; a job given to a service is asked to stop, and if it has
 * not within CANCEL_GRACE_MS (a step that does not yield), the service is terminated
 * and replaced, its other jobs given out again; saves it still owed answer `retry`.
 */
export function parseServicePool(create: () => ParseService, size: number, graceMs = CANCEL_GRACE_MS): ParseService {
  const members: Member[] = [];
  const waiting: Job[] = [];
  const jobs = new Map<string, Job>();
  const savedBy = new Map<string, Member>();

  const finish = (job: Job, result: ParseResult) => {
    if (!jobs.has(job.request.jobId)) return;
    jobs.delete(job.request.jobId);
    job.member?.jobs.delete(job.request.jobId);
    job.resolve(result);
    pump();
  };

  const start = (job: Job, member: Member) => {
    member.jobs.add(job.request.jobId);
    job.member = member;
    member.service.parse(job.request, job.onProgress).then(
      (result) => {
        if (job.member !== member) return; // given out again after its service was stopped
        if (result.ok && job.request.save && members.includes(member)) {
          member.runs.add(job.request.runId);
          savedBy.set(job.request.runId, member);
        }
        finish(job, result);
      },
      (error: unknown) => {
        if (job.member === member) finish(job, { ok: false, cancelled: false, message: String(error), line: null });
      },
    );
  };

  function pump(): void {
    while (waiting.length) {
      let member = members.find((m) => m.jobs.size === 0);
      if (!member && members.length < size) {
        member = makeMember(create());
        members.push(member);
      }
      member ??= members.filter((m) => m.jobs.size < JOBS_PER_WORKER).sort((a, b) => a.jobs.size - b.jobs.size)[0];
      if (!member) return;
      start(waiting.shift()!, member);
    }
  }

  const stop = (member: Member) => {
    members.splice(members.indexOf(member), 1);
    member.service.terminate?.();
    member.markStopped();
    for (const runId of member.runs) savedBy.delete(runId);
    // Its other jobs start again elsewhere, first in line.
    const others = [...member.jobs].map((id) => jobs.get(id)!).filter((j) => j !== undefined);
    member.jobs.clear();
    for (const job of others) job.member = null;
    waiting.unshift(...others);
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
        if (!jobs.has(jobId) || job.member !== member) return;
        member.jobs.delete(jobId);
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
    saveNow() {
      for (const member of members) member.service.saveNow?.();
    },
    terminate() {
      waiting.length = 0;
      for (const member of members.slice()) stop(member);
      waiting.length = 0;
      for (const job of [...jobs.values()]) finish(job, CANCELLED);
    },
  };
}
