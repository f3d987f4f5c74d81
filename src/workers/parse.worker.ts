// Parse worker: reads statistics files off the main thread (see parseHandler.ts).
import { expose } from 'comlink';
import { parseHandler } from './parseHandler.ts';

expose(parseHandler);
