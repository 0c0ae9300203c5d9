// The overload bench's app: a CPU route that notes each run's start time (Date.now(), one line per run) in a file every thread and process appends to, an I/O route, and a health route.
import { appendFileSync } from 'node:fs';

const RUNS = process.env.OVERLOAD_RUNS_FILE;

export default {
  async fetch(request) {
    const url = new URL(request.url);
    if (url.pathname === '/healthz') return new Response('ok');
    if (url.pathname === '/work') {
      const startedAt = Date.now();
      const until = performance.now() + Number(url.searchParams.get('ms') ?? 20);
      while (performance.now() < until) {
        // Synchronous work: the thread does nothing else meanwhile.
      }
      if (RUNS) appendFileSync(RUNS, `${startedAt}\n`);
      return new Response('worked');
    }
    if (url.pathname === '/io') {
      await new Promise((resolve) => setTimeout(resolve, Number(url.searchParams.get('ms') ?? 200)));
      return new Response('waited');
    }
    return new Response('not found', { status: 404 });
  },
};
