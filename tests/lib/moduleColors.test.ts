import { describe, expect, it } from 'vitest';
import { moduleColor, moduleLabel, moduleLeaf } from '../../src/lib/moduleColors.ts';

describe('moduleColor', () => {
  it('colors Q red, K green, V blue and O gray as the study does', () => {
    expect(moduleColor('self_attn.q_proj')).toBe('#d62728');
    expect(moduleColor('self_attn.k_proj')).toBe('#2ca02c');
    expect(moduleColor('self_attn.v_proj')).toBe('#1f77b4');
    expect(moduleColor('self_attn.o_proj')).toBe('#7f7f7f');
  });

  it('gives other modules colors distinct from the study’s four and from each other', () => {
    const study = new Set(['#d62728', '#2ca02c', '#1f77b4', '#7f7f7f']);
    const others = ['attn.c_attn', 'attn.c_proj', 'mlp.gate_proj', 'mlp.up_proj', 'mlp.down_proj'].map(moduleColor);
    for (const c of others) expect(study.has(c)).toBe(false);
    expect(new Set(others).size).toBe(others.length);
  });

  it('gives an unknown module the same color every time', () => {
    expect(moduleColor('foo.bar_proj')).toBe(moduleColor('x.bar_proj'));
  });
});

describe('moduleLabel and moduleLeaf', () => {
  it('shortens the study’s projections to a letter and keeps other keys', () => {
    expect(moduleLabel('self_attn.v_proj')).toBe('V');
    expect(moduleLabel('mlp.up_proj')).toBe('mlp.up_proj');
    expect(moduleLeaf('attn.c_attn')).toBe('c_attn');
    expect(moduleLeaf('c_attn')).toBe('c_attn');
  });
});
