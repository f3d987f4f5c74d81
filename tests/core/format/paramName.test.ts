import { describe, expect, it } from 'vitest';
import { orderModules, parseParamName } from '../../../src/core/format/paramName.ts';

describe('parseParamName', () => {
  it.each([
    ['model.layers.0.self_attn.q_proj.weight', 0, 'self_attn.q_proj'],
    ['model.layers.31.self_attn.o_proj.weight', 31, 'self_attn.o_proj'],
    ['model.layers.7.mlp.gate_proj.weight', 7, 'mlp.gate_proj'],
    ['model.layers.41.self_attn.v_proj.weight', 41, 'self_attn.v_proj'],
    ['transformer.h.11.attn.c_attn.weight', 11, 'attn.c_attn'],
    ['transformer.h.0.mlp.c_fc.weight', 0, 'mlp.c_fc'],
    ['gpt_neox.layers.5.attention.query_key_value.weight', 5, 'attention.query_key_value'],
    ['model.decoder.layers.2.self_attn.k_proj.weight', 2, 'self_attn.k_proj'],
    ['encoder.block.3.layer.0.SelfAttention.q.weight', 0, 'SelfAttention.q'],
    ['model.layers.4.self_attn.q_proj.bias', 4, 'self_attn.q_proj.bias'],
    ['model.layers.4.self_attn.q_proj', 4, 'self_attn.q_proj'],
    ['layers.007.attn.wq.weight', 7, 'attn.wq'],
    ['blocks.2.weight_proj.weight', 2, 'weight_proj'],
  ])('reads %s as layer %i, module %s', (name, layer, module) => {
    expect(parseParamName(name)).toEqual({ layer, module });
  });

  it.each([
    ['lm_head.weight'],
    ['model.embed_tokens.weight'],
    ['model.layers.3.weight'],
    ['model.layers.3'],
    [''],
    ['.'],
    ['model.layers.-1.self_attn.q_proj.weight'],
    ['model.layers.1e3.self_attn.q_proj.weight'],
    ['model.layers.99999999999999999999.q.weight'],
  ])('gives null for %j, which names no layer', (name) => {
    expect(parseParamName(name)).toBeNull();
  });
});

describe('orderModules', () => {
  it.each([
    [[], []],
    [['mlp.up_proj', 'self_attn.k_proj', 'self_attn.q_proj'], ['self_attn.q_proj', 'self_attn.k_proj', 'mlp.up_proj']],
    [
      ['self_attn.o_proj', 'self_attn.v_proj', 'self_attn.k_proj', 'self_attn.q_proj'],
      ['self_attn.q_proj', 'self_attn.k_proj', 'self_attn.v_proj', 'self_attn.o_proj'],
    ],
    [['attn.c_attn', 'attn.c_proj', 'mlp.c_fc'], ['attn.c_attn', 'attn.c_proj', 'mlp.c_fc']],
    [['cross.q_proj', 'mlp.x', 'self.q_proj'], ['cross.q_proj', 'self.q_proj', 'mlp.x']],
  ])('orders %j as %j', (input, expected) => {
    const copy = [...input];
    expect(orderModules(input)).toEqual(expected);
    expect(input).toEqual(copy);
  });
});
