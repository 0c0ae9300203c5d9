// The benchmark app under a Switchyard backend.
// Usage: node switchyard.mjs <reactor|cluster> <iterations> [processes]
import { serve as serveCluster } from '@switchyard/cluster';
import { serve as serveReactor } from '@switchyard/reactor';

const [backend, iterations, processes = '2'] = process.argv.slice(2);
const app = new URL('./app.mjs', import.meta.url);
app.searchParams.set('iterations', iterations);
const serve = backend === 'cluster' ? serveCluster : serveReactor;
const server = await serve({ app, port: 0, workers: Number(processes), signals: true, logger: { error: console.error, warn: console.error, info() {} } });
console.log(`listening ${server.url}`);
