/**
 * What a user is told about a model before computing: architecture, size, storage
 * dtype, tokenizer and template in one line, and whether a sample length fits.
 */
import { checkSampleLength, describeEstimate, estimateMemory, formatBytes, type SampleShape } from './memoryEstimate';
import type { ModelInfo } from './modelFolder';

/** Parameters as a short count: "135 M", "1.54 B", "824 k". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toPrecision(3)} B`;
  if (n >= 1e6) return `${(n / 1e6).toPrecision(3)} M`;
  if (n >= 1e3) return `${(n / 1e3).toPrecision(3)} k`;
  return String(n);
}

/**
 * One line: "Qwen2ForCausalLM, 494 M parameters (BF16, 2 files), 24 layers × 896,
 * BPE (tokenizer.json) tokenizer of 151,665 tokens, chat template, up to 32768 tokens".
 */
export function describeModel(info: ModelInfo): string {
  const c = info.config;
  const files = info.weightFiles.length > 1 ? `, ${info.weightFiles.length} files` : '';
  const tok = `${info.tokenizer.kind} tokenizer of ${info.tokenizer.size.toLocaleString('en-US')} tokens`;
  return `${info.architecture}, ${formatCount(info.parameters)} parameters (${info.dtypes.join('+') || 'none'}${files}), ${c.num_hidden_layers} layers × ${c.hidden_size}, ${tok}, ${info.template} template, up to ${info.maxLength} tokens`;
}

/**
 * The estimate for the job's longest sample (or maxLength when no records are given)
 * as a line, and an error line when the length or the estimate does not fit (null when
 * it does).
 */
export function describeFit(info: ModelInfo, maxLength: number, budget: number, longest?: SampleShape): { estimate: string; error: string | null } {
  const error = checkSampleLength(info.config, info.maxLength, maxLength, budget, longest);
  const shape = longest ?? { tokens: maxLength, responseTokens: maxLength };
  const estimate = error ? '' : `memory for the longest sample (${shape.tokens} tokens): ${describeEstimate(estimateMemory(info.config, shape.tokens, shape.responseTokens))} (budget ${formatBytes(budget)})`;
  return { estimate, error };
}
