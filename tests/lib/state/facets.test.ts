import { describe, expect, it } from 'vitest';
import { describeRun, parseRunPath } from '../../../src/core/format/runPath.ts';
import { resolveEncoding, runStyles, DEFAULT_ENCODING } from '../../../src/lib/state/encoding.ts';
import { admits, facetGroups, facetKey, onlyValue, parseFacetKey, toggleValue } from '../../../src/lib/state/facets.ts';
import { ownRunsAdded } from '../../../src/lib/state/demoHiding.ts';
import { splitLabels } from '../../../src/lib/views/labels.ts';
import { studyGrid } from '../../../src/lib/views/studyGrid.ts';
import type { RunEntry } from '../../../src/lib/state/types.ts';
import { makeEntry, makeRun } from '../makeRun.ts';

/** The 48-run release tree's paths as entries. */
function release(): RunEntry[] {
  const out: RunEntry[] = [];
  for (const task of ['cot_500', 'cot_500_wrong_answer_shuffle'])
    for (const model of ['llama3_8b', 'llama3_8b_it_new', 'gemma_2_9b', 'gemma_2_9b_it_new'])
      for (const dataset of ['gsm8k_train', 'aqua_train'])
        for (const setting of ['no_cot', 'with_cot', 'with_cot_gpt4o']) {
          const path = `${task}/${model}/grads_${dataset}_${setting}.jsonl`;
          const run = makeRun({ id: path, name: path, meta: parseRunPath(path), layers: model.startsWith('gemma') ? 42 : 32 });
          out.push(makeEntry(run, describeRun(run.meta, path)));
        }
  return out;
}

describe('facets', () => {
  const all = release();

  it('groups every factor the paths give, with counts, values in the study’s order', () => {
    const groups = facetGroups(all, {});
    expect(groups.map((g) => g.label)).toEqual(['Source', 'Model', 'Variant', 'Dataset', 'Setting', 'Correctness', 'Task']);
    const setting = groups.find((g) => g.key === 'setting')!;
    expect(setting.values.map((v) => [v.label, v.count, v.checked])).toEqual([
      ['None CoT', 16, true],
      ['Simplified CoT', 16, true],
      ['Detailed CoT', 16, true],
    ]);
  });

  it('lets through only runs whose values are all checked and that match every term of the text filter', () => {
    const hidden = toggleValue({}, 'setting', 'none', false);
    expect(all.filter((e) => admits(e, hidden, '')).length).toBe(32);
    expect(all.filter((e) => admits(e, hidden, 'gemma irrelevant')).length).toBe(8);
    const only = onlyValue(hidden, 'variant', 'instruct', ['base', 'instruct']);
    expect(all.filter((e) => admits(e, only, '')).length).toBe(16);
    expect(toggleValue(hidden, 'setting', 'none', true)).toEqual({});
  });

  it('round-trips its state through a stable key', () => {
    const hidden = { setting: ['none', 'detailed'], correctness: ['irrelevant'] };
    const key = facetKey(hidden, ' llama ');
    expect(key).toBe(facetKey({ correctness: ['irrelevant'], setting: ['detailed', 'none'] }, 'llama'));
    expect(parseFacetKey(key)).toEqual({ hidden: { correctness: ['irrelevant'], setting: ['detailed', 'none'] }, filter: 'llama' });
  });

  it('hides the demo when one’s own file arrives, not for a live computation', () => {
    const demo = { ...makeEntry(makeRun({ id: 'd' })), source: { kind: 'demo' as const, ref: 'd' } };
    const own = makeEntry(makeRun({ id: 'f' }));
    const live = { ...makeEntry(makeRun({ id: 'c' })), source: { kind: 'compute' as const, ref: 'c' } };
    expect(ownRunsAdded(new Set(['d']), [demo, own])).toBe(true);
    expect(ownRunsAdded(new Set(['d']), [demo, live])).toBe(false);
    expect(ownRunsAdded(new Set(['f']), [own])).toBe(false);
  });
});

describe('encoding', () => {
  it('maps setting to colour, correctness to dash and base / instruct to shade, and gives 48 runs 48 distinct styles', () => {
    const all = release();
    const resolved = resolveEncoding(all, DEFAULT_ENCODING);
    expect(resolved).toEqual({ color: 'setting', shade: 'variant', dash: 'correctness' });
    const styles = runStyles(all, resolved);
    const keys = all.map((e) => `${styles.get(e.run.id)!.color}|${styles.get(e.run.id)!.dash}`);
    expect(new Set(keys).size).toBe(48);
    for (const e of all) expect(styles.get(e.run.id)!.dash === '').toBe(e.run.meta.correctness === 'correct');
  });

  it('keeps runs distinct even when the chosen channels cannot tell them apart', () => {
    const same = [makeEntry(makeRun({ id: 'a' })), makeEntry(makeRun({ id: 'b' })), makeEntry(makeRun({ id: 'c' }))];
    for (const color of ['none', 'run'] as const) {
      const styles = runStyles(same, resolveEncoding(same, { color, shade: 'none', dash: 'none' }));
      expect(new Set([...styles.values()].map((s) => `${s.color}|${s.dash}`)).size, color).toBe(3);
    }
  });
});

describe('labels and the study grid', () => {
  it('says the shared part once and keeps what differs per run', () => {
    const all = release().filter((e) => e.run.meta.model === 'llama3_8b' && e.run.meta.dataset === 'gsm8k_train' && e.run.meta.variant === 'base');
    const { heading, titles } = splitLabels(all);
    expect(heading).toBe('llama3_8b · base · gsm8k_train');
    expect(titles).toContain('Detailed CoT · irrelevant');
  });

  it('lays out one model and dataset as settings × correctness, None → Simplified → Detailed', () => {
    const grid = studyGrid(release(), { model: 'gemma_2_9b', dataset: 'aqua_train', rows: 'correctness', fixed: 'instruct' });
    expect(grid.columns.map((c) => c.label)).toEqual(['None CoT', 'Simplified CoT', 'Detailed CoT']);
    expect(grid.rows.map((r) => r.label)).toEqual(['correct', 'irrelevant']);
    expect(grid.cells.flat().map((e) => e?.run.id)).toEqual([
      'cot_500/gemma_2_9b_it_new/grads_aqua_train_no_cot.jsonl',
      'cot_500/gemma_2_9b_it_new/grads_aqua_train_with_cot.jsonl',
      'cot_500/gemma_2_9b_it_new/grads_aqua_train_with_cot_gpt4o.jsonl',
      'cot_500_wrong_answer_shuffle/gemma_2_9b_it_new/grads_aqua_train_no_cot.jsonl',
      'cot_500_wrong_answer_shuffle/gemma_2_9b_it_new/grads_aqua_train_with_cot.jsonl',
      'cot_500_wrong_answer_shuffle/gemma_2_9b_it_new/grads_aqua_train_with_cot_gpt4o.jsonl',
    ]);
    const byVariant = studyGrid(release(), { model: 'llama3_8b', dataset: null, rows: 'variant', fixed: null });
    expect(byVariant.rows.map((r) => r.label)).toEqual(['base', 'instruct']);
    expect(byVariant.fixed).toBe('correct');
  });

  it('orders the wiki runs by length, long-tail last', () => {
    const wiki = ['grads_popular_wikipedia_1000', 'grads_long_tail_wikipedia', 'grads_popular_wikipedia_100', 'grads_popular_wikipedia_500'].map((f) => {
      const path = `wiki_popularity/llama3_8b/${f}.jsonl`;
      return makeEntry(makeRun({ id: path, meta: parseRunPath(path) }));
    });
    const grid = studyGrid(wiki, { model: null, dataset: null, rows: 'correctness', fixed: null });
    expect(grid.columns.map((c) => c.label)).toEqual(['Length 100', 'Length 500', 'Length 1000', 'Unpopular (long-tail)']);
  });
});
