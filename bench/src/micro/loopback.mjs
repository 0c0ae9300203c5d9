/**
 * Drives a server in this process over loopback HTTP: `count` GET requests
 * at once on as many keep-alive connections, resolved when every body has
 * arrived. The client shares the main thread with the server, so a figure
 * per request is mostly main-thread time, the client's included: compare
 * rows of one group, which pay the same client.
 */
import { Agent, request } from 'node:http';

function get(url, agent) {
  return new Promise((resolve, reject) => {
    request(url, { agent }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve(res.statusCode === 200 ? body : `${res.statusCode} ${body}`));
      res.on('error', reject);
    })
      .on('error', reject)
      .end();
  });
}

/** A task that sends `count` requests to `url` at once; resolves with the first body. */
export function inFlight(url, count) {
  const agent = new Agent({ keepAlive: true, maxSockets: count });
  const all = async () => {
    const batch = [];
    for (let i = 0; i < count; i++) batch.push(get(url, agent));
    const bodies = await Promise.all(batch);
    return bodies.find((body) => body !== bodies[0]) ?? bodies[0];
  };
  all.close = () => agent.destroy();
  return all;
}

/** Starts servers from `serve` functions in order; `close()` stops them all, whatever failed. */
export async function startAll(starts) {
  const servers = [];
  const close = async () => {
    for (const server of servers.splice(0)) await server.close({ graceMs: 0 });
  };
  try {
    for (const start of starts) servers.push(await start());
  } catch (error) {
    await close();
    throw error;
  }
  return { servers, close };
}
