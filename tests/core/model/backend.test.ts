import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { wasmDistDir } from '../../../scripts/lib/nodeBackend';
import { configureWasm, pickBackend, resetBackendChoice, webgpuUnavailable } from '../../../src/core/model/backend';

describe('pickBackend', () => {
  it('times the candidates that initialise, keeps the fastest and remembers it', async () => {
    configureWasm(wasmDistDir());
    resetBackendChoice();
    const choice = await pickBackend({ candidates: ['webgpu', 'wasm', 'cpu'] });
    expect(choice.trials.map((t) => t.name)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(choice.trials[0].ok).toBe(false); // no webgpu backend in this bundle
    const ok = choice.trials.filter((t) => t.ok);
    expect(ok.length).toBeGreaterThan(0);
    const fastest = ok.reduce((a, b) => ((a.msPerStep ?? Infinity) <= (b.msPerStep ?? Infinity) ? a : b));
    expect(choice.active).toBe(fastest.name);
    expect(tf.getBackend()).toBe(choice.active);
    expect(await pickBackend()).toBe(choice);
  });

  it('uses an explicit override without measuring', async () => {
    const choice = await pickBackend({ override: 'cpu' });
    expect(choice.active).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('leaves no tensors behind after a trial', async () => {
    resetBackendChoice();
    const before = tf.memory().numTensors;
    await pickBackend({ candidates: ['cpu'] });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('webgpuUnavailable', () => {
  it('names a browser without WebGPU, one without an adapter (what made tfjs throw a TypeError), one with a software adapter only, and accepts a GPU', async () => {
    expect(await webgpuUnavailable(undefined)).toMatch(/no WebGPU/);
    expect(await webgpuUnavailable({ requestAdapter: async () => null })).toMatch(/no adapter/);
    expect(await webgpuUnavailable({ requestAdapter: () => Promise.reject(new Error('blocked')) })).toMatch(/no adapter/);
    expect(await webgpuUnavailable({ requestAdapter: async () => ({ features: new Set(), info: { isFallbackAdapter: true } }) })).toMatch(/software fallback/);
    expect(await webgpuUnavailable({ requestAdapter: async () => ({ features: new Set(), isFallbackAdapter: true }) })).toMatch(/software fallback/);
    expect(await webgpuUnavailable({ requestAdapter: async () => ({ features: new Set(), info: { isFallbackAdapter: false } }) })).toBeNull();
  });

  it('is the reason an explicit webgpu choice gives where there is none', async () => {
    await expect(pickBackend({ override: 'webgpu' })).rejects.toThrow(/backend webgpu did not initialise: this browser has no WebGPU/);
  });
});
