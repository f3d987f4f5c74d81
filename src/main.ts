import { wrap } from 'comlink';
import { mount } from 'svelte';
import './lib/app.css';
import App from './lib/App.svelte';
import { demoFiles } from './lib/loading/demo.ts';
import { workerParseService } from './lib/loading/parseClient.ts';
import { AppState } from './lib/state/AppState.svelte.ts';
import { idbRunStore } from './storage/idbRunStore.ts';
import { opfsRunFiles } from './storage/runFiles.ts';
import { memoryRunStore } from './storage/runStore.ts';
import type { RunFilesReader } from './workers/runFiles.worker.ts';
import RunFilesWorker from './workers/runFiles.worker.ts?worker';

/** Stored runs' files are read by a worker of their own (started now: a reload reads them first). */
function runFiles() {
  if (typeof navigator.storage?.getDirectory !== 'function') return null;
  const reader = wrap<RunFilesReader>(new RunFilesWorker());
  return opfsRunFiles({ read: (name, start, end) => reader.read(name, start, end) });
}

const app = new AppState({
  parser: workerParseService(),
  store: typeof indexedDB === 'undefined' ? memoryRunStore() : idbRunStore({ files: runFiles() }),
  demo: demoFiles,
});

mount(App, { target: document.getElementById('app')!, props: { app } });
void app.start(location.search);
