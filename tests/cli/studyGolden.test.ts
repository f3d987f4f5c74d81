/**
 * The CLI against numbers computed independently with numpy from the study's definitions
 * (tests/fixtures/cli/study/make_study_golden.py: 32 layers, the study's 32-layer splits,
 * a NaN that drops one sample from q, a zero S_sum for S_ratio's zero rule). Users compare
 * our tables with the study's code, so the comparison is exact: tolerance 0.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const DIR = 'tests/fixtures/cli/study';

interface ModuleSummary {
  kept: number;
  curve: number[];
  mad: { all: number; early: number; middle: number; late: number };
}
interface Expected {
  summarize: Record<string, Record<string, ModuleSummary>>;
  compare: Record<string, Record<string, { relative_difference: number; top_layers: number[] }>>;
}
const expected = JSON.parse(readFileSync(`${ROOT}/${DIR}/study_expected.json`, 'utf8')) as Expected;

function gradlensJson(...args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile('node', ['bin/gradlens.cjs', ...args, '--json'], { cwd: ROOT, maxBuffer: 1 << 24 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`gradlens ${args.join(' ')} failed: ${stderr}`));
      else resolve(JSON.parse(stdout) as Record<string, unknown>);
    });
  });
}

describe.each(['S_sum', 'S_ratio'])('%s matches numpy from the definitions exactly', (stat) => {
  it('in curves, kept counts and MAD (splits 10, 20)', async () => {
    const out = (await gradlensJson('summarize', `${DIR}/study_correct.jsonl`, '--stat', stat)) as {
      runs: { splits: number[]; modules: Record<string, ModuleSummary & { dropped: number }> }[];
    };
    const run = out.runs[0];
    expect(run.splits).toEqual([10, 20]);
    for (const [module, want] of Object.entries(expected.summarize[stat])) {
      const got = run.modules[module];
      expect(got.kept, `${module} kept`).toBe(want.kept);
      expect(got.curve, `${module} curve`).toEqual(want.curve);
      expect(got.mad, `${module} mad`).toEqual(want.mad);
    }
  });

  it('in relative difference and top layers', async () => {
    const out = (await gradlensJson('compare', `${DIR}/study_correct.jsonl`, `${DIR}/study_irrelevant.jsonl`, '--stat', stat)) as {
      modules: Record<string, { relative_difference: number; top_layers: number[] }>;
    };
    for (const [module, want] of Object.entries(expected.compare[stat])) {
      expect(out.modules[module].relative_difference, `${module}`).toBe(want.relative_difference);
      expect(out.modules[module].top_layers, `${module}`).toEqual(want.top_layers);
    }
  });
});
