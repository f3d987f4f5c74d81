/**
 * The module filter: which modules (Q, K, V, O, MLP matrices, …) the panels and tables
 * show. By default the study's four attention projections when a run has more, else all.
 */
import { LEADING_PROJECTIONS } from '../../core/format/paramName.ts';
import { moduleLeaf } from '../moduleColors.ts';

/** Whether a module is one of the study's Q, K, V, O projections. */
export function isStudyModule(module: string): boolean {
  return LEADING_PROJECTIONS.includes(moduleLeaf(module));
}

/**
 * The modules to show out of `all` (display order kept): the chosen ones, or by default
 * Q/K/V/O when present among others, else all. Example: q, k, v, o, mlp.up_proj, null → q, k, v, o.
 */
export function shownModules(all: readonly string[], chosen: readonly string[] | null): string[] {
  if (chosen) return all.filter((m) => chosen.includes(m));
  const study = all.filter(isStudyModule);
  return study.length ? study : all.slice();
}
