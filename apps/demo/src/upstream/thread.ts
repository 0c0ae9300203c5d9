/**
 * The upstream service on a thread of its own: the demo starts one per
 * process or thread it runs in, so the service's work never lands on the
 * event loop being measured. The owner ends it with `worker.terminate()`.
 */
import { parentPort } from 'node:worker_threads';
import { startUpstream } from './service.js';

const service = await startUpstream();
parentPort!.postMessage({ url: service.url });
