/**
 * Runs the upstream service as a process of its own, so a benchmark can keep
 * it off the machine's server under test:
 *
 *   node apps/demo/dist/upstream/main.js --port 4000 [--host 127.0.0.1]
 *
 * Prints its URL on one line once listening; SIGTERM or SIGINT stop it.
 */
import { parseArgs } from 'node:util';
import { startUpstream } from './service.js';

function usage(problem: string): never {
  console.error(`${problem}\nusage: node upstream/main.js [--port N] [--host ADDRESS]`);
  process.exit(2);
}

let values: { port: string; host: string };
try {
  ({ values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' } } }));
} catch (error) {
  usage((error as Error).message);
}
const port = Number(values.port);
if (!/^\d+$/.test(values.port) || port > 65535) usage(`--port must be an integer from 0 to 65535 (got ${JSON.stringify(values.port)})`);

const service = await startUpstream({ port, host: values.host });
console.log(service.url);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => void service.close().then(() => process.exit(0)));
}
