/**
 * The compute panel's state and job sequencing: one job at a time in the worker; the
 * worker hands each job's run over as columns as it grows (GrowingRun), and the session
 * gives them to the app shell (addRun on the first, updateRun after), so charts grow as
 * results arrive and the page reads no record itself.
 */
import type { Run } from '../../core/format/run';
import type { ComputeInput, ComputeProgress } from '../../core/model/computeRecords';
import type { BackendName, BackendTrial } from '../../core/model/backend';
import type { StatsFormat } from '../../core/model/sampleStats';
import type { Truncation } from '../../core/model/template';
import type { ModelOptions, ModelSource } from '../../workers/computeHandler';
import type { ComputeService } from './computeClient';
import { setLiveOrigin } from './liveOrigins';

/** The shell's callbacks: add a run (returns its id) and replace a run's data. */
export interface RunSink {
  addRun(run: Run, source: { kind: 'compute'; ref: string }): string;
  updateRun(id: string, run: Run): void;
}

/** One run to compute: model, records, and the release-layout path that labels it. */
export interface RunRequest {
  model: ModelSource;
  records: ComputeInput[];
  /** Release-layout path (see experimentPlan), so the run is labelled and paired by it. */
  path: string;
  maxLength: number;
  withTokens: boolean;
  /** Record format: layer-gradient (default) or the follow-up's unified (S_list, cosine maps). */
  format?: StatsFormat;
  /** Keep each position's cₜ per matrix (the drill-down's positions × layers heatmap). */
  tokenNorms?: boolean;
  backend: BackendName | 'auto';
  /** Template and memory budget for the model (a picked folder's choices; the budget for every model). */
  modelOptions?: ModelOptions;
}

let jobCounter = 0;

/** Reactive state of the panel's computation. */
export class ComputeSession {
  /** 'idle' | 'running' | 'done' | 'cancelled' | 'error'. */
  status = $state<'idle' | 'running' | 'done' | 'cancelled' | 'error'>('idle');
  progress = $state<ComputeProgress | null>(null);
  /** Which run of a sequence is running: e.g. {index: 2, count: 6, label}. */
  step = $state<{ index: number; count: number; label: string } | null>(null);
  activeBackend = $state<string | null>(null);
  trials = $state.raw<BackendTrial[]>([]);
  error = $state<string | null>(null);
  /** What the maximum length cuts in the running (or last) job, when it cuts anything. */
  truncation = $state.raw<Truncation | null>(null);
  /** Samples reported during the running (or last) sequence, e.g. a non-finite loss, one line each. */
  warnings = $state.raw<string[]>([]);
  private currentJob: string | null = null;
  private stopped = false;

  constructor(
    private readonly service: ComputeService,
    private readonly sink: RunSink,
  ) {}

  /** Run the requests one after another (a single compute is a sequence of one). Resolves when all finished, cancelled or failed. */
  async runAll(requests: readonly { request: RunRequest; label: string }[]): Promise<void> {
    if (this.status === 'running') return;
    this.status = 'running';
    this.error = null;
    this.truncation = null;
    this.warnings = [];
    this.stopped = false;
    for (let i = 0; i < requests.length && !this.stopped; i++) {
      this.step = { index: i + 1, count: requests.length, label: requests[i].label };
      const ok = await this.runOne(requests[i].request);
      if (!ok) break;
    }
    if (this.status === 'running') this.status = this.stopped ? 'cancelled' : 'done';
    this.currentJob = null;
  }

  /** Stop the running job before its next sample and skip the rest of the sequence. */
  cancel(): void {
    this.stopped = true;
    if (this.currentJob) this.service.cancel(this.currentJob);
  }

  private async runOne(req: RunRequest): Promise<boolean> {
    const jobId = `compute-${Date.now().toString(36)}-${++jobCounter}`;
    this.currentJob = jobId;
    this.progress = { done: 0, total: req.records.length, samplesPerSecond: 0, secondsLeft: 0 };
    let runId: string | null = null;
    let failed = false;
    const show = (run: Run) => {
      if (runId === null) {
        runId = this.sink.addRun(run, { kind: 'compute', ref: req.path });
        setLiveOrigin(runId, { service: this.service, model: req.model, modelOptions: req.modelOptions, maxLength: req.maxLength, backend: req.backend });
      }
      else this.sink.updateRun(runId, run);
    };
    await this.service.start(
      { jobId, runPath: req.path, model: req.model, records: req.records, maxLength: req.maxLength, withTokens: req.withTokens, format: req.format, tokenNorms: req.tokenNorms, backend: req.backend, modelOptions: req.modelOptions },
      (e) => {
        if (e.jobId !== jobId) return;
        if (e.type === 'backend') {
          this.activeBackend = e.active;
          if (e.trials.length) this.trials = e.trials;
        } else if (e.type === 'truncation') {
          this.truncation = e.truncation;
        } else if (e.type === 'warning') {
          this.warnings = [...this.warnings, e.message];
        } else if (e.type === 'run') {
          show(e.run);
        } else if (e.type === 'progress') {
          this.progress = e.progress;
        } else if (e.type === 'error') {
          failed = true;
          this.error = e.message;
          this.status = 'error';
        }
      },
    );
    return !failed;
  }
}
