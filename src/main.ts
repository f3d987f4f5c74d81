import { mount } from 'svelte';
import './lib/app.css';
import App from './lib/App.svelte';
import { demoFiles } from './lib/loading/demo.ts';
import { workerParseService } from './lib/loading/parseClient.ts';
import { AppState } from './lib/state/AppState.svelte.ts';
import { idbRunStore } from './storage/idbRunStore.ts';
import { memoryRunStore } from './storage/runStore.ts';

const app = new AppState({
  parser: workerParseService(),
  store: typeof indexedDB === 'undefined' ? memoryRunStore() : idbRunStore(),
  demo: demoFiles,
});

mount(App, { target: document.getElementById('app')!, props: { app } });
void app.start(location.search);
