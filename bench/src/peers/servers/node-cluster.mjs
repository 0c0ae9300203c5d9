/**
 * Raw node:cluster: a primary that forks `workers` processes, each running a
 * raw node:http handler on the port they share. `handler` is the path of the
 * handler module (default: the peers' reference, ../apps/raw.mjs).
 */
import cluster from 'node:cluster';
import { availableParallelism } from 'node:os';
import { fileURLToPath, pathToFileURL } from 'node:url';

const WORKER = fileURLToPath(new URL('./node-cluster-worker.mjs', import.meta.url));
const RAW = fileURLToPath(new URL('../apps/raw.mjs', import.meta.url));

export default async function start({ host, port, workers = availableParallelism(), handler = RAW }) {
  cluster.setupPrimary({ exec: WORKER, args: [host, String(port), pathToFileURL(handler).href] });
  const forked = Array.from({ length: workers }, () => cluster.fork());
  // listen(0) in every worker shares one port: the primary opens it once.
  const ports = await Promise.all(
    forked.map(
      (worker) =>
        new Promise((resolve, reject) => {
          worker.once('listening', (address) => resolve(address.port));
          worker.once('exit', (code) => reject(new Error(`a node:cluster worker exited (${code}) before it listened`)));
        }),
    ),
  );
  return {
    url: `http://${host}:${ports[0]}`,
    close: () => new Promise((resolve) => cluster.disconnect(resolve)),
  };
}
