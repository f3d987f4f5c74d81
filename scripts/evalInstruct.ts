/**
 * `npx tsx scripts/evalInstruct.ts [--model DIR] [--count N] [--max-new-tokens N]`
 *
 * Exact-match accuracy of the instruct model on held-out arithmetic problems: each
 * problem's instruction in the chat template, greedy decoding until `<|end|>`, the last
 * number of the answer compared with the problem's answer. Writes the result into the
 * model's metrics.json and card (README.md), and every answer into eval_answers.jsonl.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { loadByteModelDir, writeModelCard, type ModelMetrics } from './lib/modelDir';
import { useNodeBackend } from './lib/nodeBackend';
import { disposeParams } from '../src/core/model/params';
import { encodePrompt } from '../src/core/model/template';
import { heldoutProblems } from '../src/core/model/trainCorpus';
import { finalNumber, greedyDecode, sameNumber } from '../src/core/model/trainEval';

function arg(flag: string, fallback: string): string {
  const i = process.argv.indexOf(flag);
  return i >= 0 ? process.argv[i + 1] : fallback;
}

async function main(): Promise<void> {
  const dir = arg('--model', join('data', 'models', 'instruct'));
  const count = Number(arg('--count', '64'));
  const maxNew = Number(arg('--max-new-tokens', '400'));
  const backend = await useNodeBackend('wasm');
  const model = await loadByteModelDir(dir);
  const tok = model.tokenizer;
  const stopIds = [tok.id('<|end|>'), tok.id('<|eos|>')];
  const problems = heldoutProblems(count);
  const start = performance.now();
  const prompts = problems.map((p) => encodePrompt(tok, { instruction: p.instruction, output: '' }, model.template));
  const outputs = greedyDecode(model.config, model.params, prompts, {
    stopIds,
    maxNewTokens: maxNew,
    batchSize: 16,
    onBatch: (done, total) => process.stderr.write(`\r${done}/${total} problems decoded `),
  });
  let correct = 0;
  const answers = problems.map((p, i) => {
    const output = tok.decode(outputs[i]);
    const predicted = finalNumber(output);
    const ok = sameNumber(predicted, p.answer);
    if (ok) correct++;
    return { instruction: p.instruction, answer: p.answer, output, predicted, correct: ok };
  });
  const seconds = Math.round((performance.now() - start) / 1000);
  process.stderr.write(`\n${backend}: ${correct}/${count} exact match in ${seconds} s\n`);
  await writeFile(join(dir, 'eval_answers.jsonl'), answers.map((a) => `${JSON.stringify(a)}\n`).join(''));
  const metrics = JSON.parse(await readFile(join(dir, 'metrics.json'), 'utf8')) as ModelMetrics;
  metrics.accuracy = {
    correct,
    total: count,
    exact_match: correct / count,
    problems: `${count} held-out arithmetic word problems (heldoutProblems in src/core/model/trainCorpus.ts, seeds never used in training)`,
    command: `npx tsx scripts/evalInstruct.ts --model ${dir} --count ${count} --max-new-tokens ${maxNew}`,
    wall_time_s: seconds,
    answer_only: answers.filter((a) => /^-?\d[\d,.]*$/.test(a.output.trim())).length,
  };
  await writeModelCard(dir, metrics);
  disposeParams(model.params);
}

main().catch((e: unknown) => {
  process.stderr.write(`\nevalInstruct: ${(e as Error).message}\n`);
  process.exit(1);
});
