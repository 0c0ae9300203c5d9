// A thread that answers request messages shaped like the pool's (messages.ts)
// with response messages shaped like its RESPONSE. Started as a plain Worker
// it answers on parentPort, an array with an array (the pool's batching) and
// a single message with a single one; under piscina its default export is
// the task.
import { parentPort, workerData } from 'node:worker_threads';

const RESPONSE_HEADERS = ['content-type', 'text/plain;charset=UTF-8', 'content-length', '5'];

export default function respond(message) {
  return { t: 12, id: message.id, status: 200, statusText: 'OK', headers: RESPONSE_HEADERS, body: 'hello', runMs: 0.01, costMs: 0.01 };
}

if (workerData?.echo) {
  parentPort.on('message', (message) => {
    parentPort.postMessage(Array.isArray(message) ? message.map(respond) : respond(message));
  });
}
