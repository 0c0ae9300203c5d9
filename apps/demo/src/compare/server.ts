/**
 * The compare page's own small server (node:http): the page and its two
 * files, the backends and scenarios as JSON, runs started with a POST and
 * followed as server-sent events, and each run's reports.
 */
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { join } from 'node:path';
import { publicDir } from '../page/assets.js';
import { type Backend, BusyError, REPORT_NAMES, type Runs } from './runs.js';
import { SCENARIOS } from './scenarios.js';

const FILES: Record<string, { file: string; type: string }> = {
  '/': { file: 'compare.html', type: 'text/html; charset=utf-8' },
  '/assets/compare.js': { file: 'compare.js', type: 'text/javascript; charset=utf-8' },
  '/assets/compare.css': { file: 'compare.css', type: 'text/css; charset=utf-8' },
};

const REPORT_TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8',
  md: 'text/markdown; charset=utf-8',
  json: 'application/json',
  txt: 'text/plain; charset=utf-8',
};

/** Everything from this server; the report inlines its own script and styles. */
const PAGE_CSP = "default-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";
const REPORT_CSP = "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'";

function send(res: ServerResponse, status: number, body: string | Uint8Array, type = 'text/plain; charset=utf-8', csp = PAGE_CSP): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store', 'content-security-policy': csp, 'x-content-type-options': 'nosniff' });
  res.end(body);
}

const json = (res: ServerResponse, status: number, value: unknown) => send(res, status, JSON.stringify(value), 'application/json');

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  let text = '';
  for await (const chunk of req) {
    text += chunk;
    if (text.length > 4096) throw new TypeError('body too large');
  }
  const value = text ? JSON.parse(text) : {};
  if (value === null || typeof value !== 'object') throw new TypeError('expected a JSON object');
  return value as Record<string, unknown>;
}

export function createCompareServer(backends: Backend[], runs: Runs, outDir: string): Server {
  return createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const path = url.pathname;
      const file = FILES[path];
      if (file && (req.method === 'GET' || req.method === 'HEAD')) return send(res, 200, await readFile(join(publicDir, file.file)), file.type);
      if (path === '/api/state' && req.method === 'GET') {
        return json(res, 200, {
          backends: backends.map((backend) => ({ name: backend.name, url: backend.process.url })),
          scenarios: Object.entries(SCENARIOS).map(([key, s]) => ({ key, button: s.button, description: s.scenario.description })),
        });
      }
      if (path === '/api/runs' && req.method === 'POST') {
        let body: Record<string, unknown>;
        try {
          body = await readJson(req);
        } catch (error) {
          return json(res, 400, { error: error instanceof Error ? error.message : String(error) });
        }
        if (typeof body.scenario !== 'string' || !SCENARIOS[body.scenario]) {
          return json(res, 400, { error: `scenario must be one of ${Object.keys(SCENARIOS).join(', ')}` });
        }
        try {
          const run = runs.start(body.scenario, { together: body.together === true });
          return json(res, 202, { id: run.id, events: `/api/runs/${run.id}/events` });
        } catch (error) {
          if (error instanceof BusyError) return json(res, 409, { error: error.message, id: error.run.id });
          throw error;
        }
      }
      const events = /^\/api\/runs\/([a-z0-9-]+)\/events$/.exec(path);
      if (events && req.method === 'GET') {
        const run = runs.get(events[1]!);
        if (!run) return json(res, 404, { error: 'no such run' });
        res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
        res.flushHeaders();
        const stop = run.follow((event) => {
          res.write(`data: ${JSON.stringify(event)}\n\n`);
          if (event.type === 'end') res.end();
        });
        res.on('close', stop);
        return;
      }
      const report = /^\/reports\/([a-z0-9-]+)\/([a-z]+\.[a-z]+)$/.exec(path);
      if (report && req.method === 'GET' && runs.get(report[1]!) && (REPORT_NAMES as readonly string[]).includes(report[2]!)) {
        try {
          const body = await readFile(join(outDir, report[1]!, report[2]!));
          return send(res, 200, body, REPORT_TYPES[report[2]!.split('.')[1]!] ?? 'application/octet-stream', REPORT_CSP);
        } catch {
          return send(res, 404, 'The report is written when the run ends.\n');
        }
      }
      return send(res, 404, 'Not found\n');
    } catch (error) {
      console.error(error);
      if (!res.headersSent) send(res, 500, 'Internal error\n');
      else res.destroy();
    }
  });
}
