import { parseConfig } from '../../src/core/model/config';
import { saveModel } from '../../src/core/model/modelFolder';
import { disposeParams, initParams } from '../../src/core/model/params';
import { ByteTokenizer, DEFAULT_SPECIAL_TOKENS } from '../../src/core/model/tokenizer';

/** A tiny random byte-level Llama (hidden 16, 2 heads over 1 KV head) saved as a model folder's files, for the compute handler's tests. */
export function tinyModelFiles(numLayers: number): Record<string, Uint8Array> {
  const config = parseConfig({
    model_type: 'llama', vocab_size: 262, hidden_size: 16, intermediate_size: 24,
    num_hidden_layers: numLayers, num_attention_heads: 2, num_key_value_heads: 1,
  });
  const params = initParams(config, 2);
  const files = Object.fromEntries(saveModel({ name: 'tiny', config, params, tokenizer: new ByteTokenizer(DEFAULT_SPECIAL_TOKENS), template: 'base' }));
  disposeParams(params);
  return files;
}
