// @vitest-environment jsdom
import { fireEvent, render, waitFor } from '@testing-library/svelte';
import { describe, expect, it } from 'vitest';
import type { Run } from '../../../src/core/format/run';
import ComputePanel from '../../../src/lib/compute/ComputePanel.svelte';
import { fakeService } from './fakeCompute';

function setFiles(input: HTMLInputElement, files: File[]) {
  Object.defineProperty(input, 'files', { value: files, configurable: true });
  return fireEvent.change(input);
}

async function setup(service = fakeService()) {
  const added: Run[] = [];
  const updated: Run[] = [];
  const view = render(ComputePanel, {
    service,
    addRun: (run: Run) => (added.push(run), run.id),
    updateRun: (_id: string, run: Run) => void updated.push(run),
  });
  const selects = view.container.querySelectorAll('select');
  // Choose uploads for model and dataset (the test build ships no model and no generator is assumed).
  await fireEvent.change(selects[0], { target: { value: 'upload' } });
  await fireEvent.change(selects[1], { target: { value: 'upload' } });
  const modelInput = view.getByTestId('model-files-input') as HTMLInputElement;
  const dataInput = view.container.querySelector<HTMLInputElement>('input[type=file][accept=".json,.jsonl"]')!;
  const config = JSON.stringify({ model_type: 'llama', gradlens_name: 'mine', gradlens_template: 'chat' });
  await setFiles(modelInput, [new File([config], 'config.json'), new File([new Uint8Array(8)], 'model.safetensors')]);
  await waitFor(() => expect(view.getByTestId('model-info').textContent).toContain('mine'));
  const data = [1, 2, 3, 4, 5].map((i) => JSON.stringify({ instruction: `q${i}`, input: '', output: `a${i}` })).join('\n');
  await setFiles(dataInput, [new File([data], 'mydata.jsonl')]);
  await waitFor(() => expect(view.getByText('5 records')).toBeTruthy());
  return { view, service, added, updated };
}

describe('ComputePanel', () => {
  it('computes on an uploaded model and dataset, streaming a run labelled by its path', async () => {
    const { view, service, added, updated } = await setup();
    const samples = view.getByLabelText('Samples') as HTMLInputElement;
    await fireEvent.input(samples, { target: { value: '3' } });
    await fireEvent.click(view.getByRole('button', { name: 'Compute' }));
    await waitFor(() => expect(view.getByText('Done.')).toBeTruthy(), { timeout: 10_000 });
    expect(service.jobs).toHaveLength(1);
    const job = service.jobs[0];
    expect(job.records).toHaveLength(3);
    expect(job.model).toMatchObject({ kind: 'blobs' });
    expect(Object.keys((job.model as { files: Record<string, Blob> }).files).sort()).toEqual(['config.json', 'model.safetensors']);
    expect(job.modelOptions).toMatchObject({ template: 'chat', memoryBudget: 4.29e9 });
    expect(added[0].file).toBe('cot_3/mine_it_new/grads_mydata_train_with_cot_gpt4o.jsonl');
    expect(updated.at(-1)!.sampleCount).toBe(3);
    expect(view.getByTestId('active-backend').textContent).toContain('wasm');
    expect(view.getByTestId('compute-progress').textContent).toContain('3 / 3 samples');
  });

  it('shows, as plain text under the progress, what the maximum length cuts', async () => {
    const { view } = await setup(fakeService({ truncation: { samples: 3, truncated: 2, noResponse: 1, maxLength: 64 } }));
    await fireEvent.input(view.getByLabelText('Samples') as HTMLInputElement, { target: { value: '3' } });
    await fireEvent.click(view.getByRole('button', { name: 'Compute' }));
    await waitFor(() => expect(view.getByText('Done.')).toBeTruthy(), { timeout: 10_000 });
    expect(view.getByTestId('compute-truncation').textContent).toMatch(/^2 of 3 samples are longer than the maximum length \(64 tokens\).*1 keep no response token/);
  });

  it('shows no truncation warning when nothing is cut', async () => {
    const { view } = await setup();
    await fireEvent.click(view.getByRole('button', { name: 'Compute' }));
    await waitFor(() => expect(view.getByText('Done.')).toBeTruthy(), { timeout: 10_000 });
    expect(view.queryByTestId('compute-truncation')).toBeNull();
  });

  it('runs the fast-vs-slow experiment on a built-in dataset as six runs in the release layout', async () => {
    const { view, service, added } = await setup();
    const experimentButton = view.getByRole('button', { name: 'Fast vs slow experiment' }) as HTMLButtonElement;
    expect(experimentButton.disabled).toBe(true); // an uploaded file has one response style only
    const datasetSelect = [...view.container.querySelectorAll('select')].find((sel) => sel.querySelector('option[value="arithmetic"]'))!;
    await fireEvent.change(datasetSelect, { target: { value: 'arithmetic' } });
    await fireEvent.input(view.getByLabelText('Samples') as HTMLInputElement, { target: { value: '3' } });
    await fireEvent.click(view.getByRole('button', { name: 'Fast vs slow experiment' }));
    await waitFor(() => expect(view.getByText('Done.')).toBeTruthy(), { timeout: 5000 });
    expect(service.jobs).toHaveLength(6);
    expect(added.map((r) => [r.meta.setting, r.meta.correctness])).toEqual([
      ['none', 'correct'], ['simplified', 'correct'], ['detailed', 'correct'],
      ['none', 'irrelevant'], ['simplified', 'irrelevant'], ['detailed', 'irrelevant'],
    ]);
    expect(added[0].file).toBe('cot_3/mine_it_new/grads_arithmetic_train_no_cot.jsonl');
    // The same problems in every run; irrelevant runs pair each with another problem's response.
    const instructions = service.jobs[0].records.map((r) => r.instruction);
    for (const job of service.jobs) expect(job.records.map((r) => r.instruction)).toEqual(instructions);
    service.jobs[5].records.forEach((r, i) => expect(r.output).not.toBe(service.jobs[2].records[i].output));
  });

  it('says what is missing instead of starting', async () => {
    const service = fakeService();
    const view = render(ComputePanel, { service, addRun: () => 'x', updateRun: () => {} });
    const selects = view.container.querySelectorAll('select');
    await fireEvent.change(selects[0], { target: { value: 'upload' } });
    await fireEvent.change(selects[1], { target: { value: 'upload' } });
    await fireEvent.click(view.getByRole('button', { name: 'Compute' }));
    expect(view.getByRole('alert').textContent).toMatch(/choose/);
    expect(service.jobs).toHaveLength(0);
  });

  it('describes a picked folder with its estimate, and refuses a maximum length above what the model takes', async () => {
    const { view, service } = await setup();
    expect(view.getByTestId('model-info').textContent).toMatch(/LlamaForCausalLM, fake, chat template, up to 512 tokens/);
    expect((view.getByLabelText('Max length') as HTMLInputElement).value).toBe('512'); // lowered from 1024 to what the model takes
    expect(view.getByTestId('model-estimate').textContent!.trim()).toMatch(/^at 512 tokens: weights .* = .* \(budget 4.29 GB\)$/);
    await fireEvent.input(view.getByLabelText('Max length') as HTMLInputElement, { target: { value: '600' } });
    await fireEvent.click(view.getByRole('button', { name: 'Compute' }));
    expect(view.getByRole('alert').textContent).toBe('the maximum length must be a whole number from 1 to 512 (what the model takes)');
    expect(service.jobs).toHaveLength(0);
    await fireEvent.input(view.getByLabelText('Max length') as HTMLInputElement, { target: { value: '256' } });
    await waitFor(() => expect(view.getByTestId('model-estimate').textContent!.trim()).toMatch(/^at 256 tokens: weights .* = .* \(budget 4.29 GB\)$/));
  });

  it('names the problem when the picked folder cannot be used', async () => {
    const service = fakeService();
    const view = render(ComputePanel, { service, addRun: () => 'x', updateRun: () => {} });
    await fireEvent.change(view.container.querySelectorAll('select')[0], { target: { value: 'upload' } });
    await setFiles(view.getByTestId('model-files-input') as HTMLInputElement, [new File([new Uint8Array(8)], 'model.safetensors')]);
    await waitFor(() => expect(view.getByTestId('model-error').textContent).toBe('no config.json among the files: choose the checkpoint folder itself'));
  });
});
