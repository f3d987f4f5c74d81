/**
 * How each live run of this page was computed (its model, options and the service that
 * holds the model), so the drill-down can decode its tokens and recompute one of its
 * samples with the same model. Kept for the page's life only: a run restored from
 * storage after a reload has no origin, and the drill-down says so.
 */
import type { BackendName } from '../../core/model/backend';
import type { ModelOptions, ModelSource } from '../../workers/computeHandler';
import type { ComputeService } from './computeClient';

/** The model and settings a live run was computed with. */
export interface LiveOrigin {
  service: ComputeService;
  model: ModelSource;
  modelOptions?: ModelOptions;
  maxLength: number;
  backend: BackendName | 'auto';
}

const origins = new Map<string, LiveOrigin>();

/** Remember how run `runId` was computed. */
export function setLiveOrigin(runId: string, origin: LiveOrigin): void {
  origins.set(runId, origin);
}

/** How run `runId` was computed in this page, if it was. */
export function liveOrigin(runId: string): LiveOrigin | undefined {
  return origins.get(runId);
}
