/**
 * Tiny hand-made Layer_Gradient lines for the shell's tests: every statistic of a
 * matrix is a simple function of (sample, layer, module), so expected curves are easy
 * to write down.
 */
export const TEST_MODULES = ['q_proj', 'k_proj', 'v_proj', 'o_proj'];

/** One line: `layers` layers of self_attn.{q,k,v,o}_proj with S_sum = 1 + sample + layer / 10. */
export function statsLine(sample: number, layers: number, text: { instruction?: string; output?: string } = {}): string {
  const record: Record<string, unknown> = {
    instruction: text.instruction ?? `question ${sample}`,
    output: text.output ?? `answer ${sample}`,
    loss: 1 + sample / 10,
  };
  for (let layer = 0; layer < layers; layer++) {
    TEST_MODULES.forEach((m, mi) => {
      const s = 1 + sample + layer / 10 + mi;
      record[`model.layers.${layer}.self_attn.${m}.weight`] = {
        M_mean: 0,
        M_max: s / 100,
        M_min: -s / 100,
        frobenius_norm: s / 2,
        S_sum: s,
        S_max: s / 3,
        S_min: 0,
      };
    });
  }
  return JSON.stringify(record);
}

/** A whole file of `samples` lines (newline-terminated). */
export function statsFile(samples: number, layers: number): string {
  return Array.from({ length: samples }, (_, i) => statsLine(i, layers)).join('\n') + '\n';
}
