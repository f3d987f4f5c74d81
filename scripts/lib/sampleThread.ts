/**
 * A sample helper thread (worker_threads): sets up the tfjs backend it was asked for,
 * then answers the computing thread's samples (src/core/model/sampleHelpers.ts).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { serveSamples, type HelperReply, type HelperRequest } from '../../src/core/model/sampleHelpers';
import { useNodeBackend, type NodeBackend } from './nodeBackend';

const port = parentPort!;
serveSamples(
  {
    post: (reply: HelperReply) => port.postMessage(reply),
    listen: (onRequest) => port.on('message', (m: HelperRequest) => onRequest(m)),
  },
  useNodeBackend((workerData as { backend: NodeBackend }).backend),
);
