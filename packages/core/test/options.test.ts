import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { kDefaultLimits, loadApp, resolveBackend, resolveOptions, SwitchyardError } from '@switchyard/core';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const app = fixture('hello.mjs');

/** Runs `fn`, expects a SwitchyardError and returns it for further checks. */
function failure(fn: () => unknown): SwitchyardError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(SwitchyardError);
    return error as SwitchyardError;
  }
  throw new Error('expected a SwitchyardError, but nothing was thrown');
}

describe('resolveBackend', () => {
  it('names the option and every accepted backend', () => {
    const error = failure(() => resolveBackend('fibers', {}));
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toBe('Invalid option "backend": expected one of "reactor", "pool", "cluster", "threads", got "fibers".');
  });

  it('defaults to reactor, falls back to SWITCHYARD_BACKEND, and lets the option win', () => {
    expect(resolveBackend(undefined, {})).toBe('reactor');
    expect(resolveBackend(undefined, { SWITCHYARD_BACKEND: '' })).toBe('reactor');
    expect(resolveBackend(undefined, { SWITCHYARD_BACKEND: 'cluster' })).toBe('cluster');
    expect(resolveBackend('pool', { SWITCHYARD_BACKEND: 'cluster' })).toBe('pool');
  });

  it('rejects a bad SWITCHYARD_BACKEND the same way', () => {
    expect(failure(() => resolveBackend(undefined, { SWITCHYARD_BACKEND: 'fibers' })).message).toContain('"backend"');
  });
});

describe('resolveOptions', () => {
  it.each([-1, 70000, 1.5, 'abc'])('rejects port %j, naming the accepted range', (port) => {
    const error = failure(() => resolveOptions({ app, port: port as number }, {}));
    expect(error.code).toBe('ERR_INVALID_OPTION');
    expect(error.message).toMatch(/^Invalid option "port": expected an integer from 0 to 65535, got /);
    expect(error.message).toContain(JSON.stringify(port));
  });

  it.each([0, 1025, 'many'])('rejects workers %j', (workers) => {
    const error = failure(() => resolveOptions({ app, workers: workers as number }, {}));
    expect(error.message).toMatch(/^Invalid option "workers": expected an integer from 1 to 1024/);
  });

  it('rejects an unknown limit, listing the known ones', () => {
    const limits = { maxBodySize: 10, maxBodyBytes: 10 } as Record<string, number>;
    const error = failure(() => resolveOptions({ app, limits }, {}));
    expect(error.message).toContain('"limits.maxBodyBytes"');
    for (const key of Object.keys(kDefaultLimits)) expect(error.message).toContain(key);
  });

  it('takes fastGlobals from the option, else SWITCHYARD_FAST_GLOBALS, else on', () => {
    expect(resolveOptions({ app }, {}).fastGlobals).toBe(true);
    expect(resolveOptions({ app }, { SWITCHYARD_FAST_GLOBALS: '0' }).fastGlobals).toBe(false);
    expect(resolveOptions({ app }, { SWITCHYARD_FAST_GLOBALS: 'TRUE' }).fastGlobals).toBe(true);
    expect(resolveOptions({ app, fastGlobals: true }, { SWITCHYARD_FAST_GLOBALS: 'false' }).fastGlobals).toBe(true);
    expect(failure(() => resolveOptions({ app, fastGlobals: 'no' as unknown as boolean }, {})).message).toBe(
      'Invalid option "fastGlobals": expected true or false, got "no".',
    );
    expect(failure(() => resolveOptions({ app }, { SWITCHYARD_FAST_GLOBALS: 'maybe' })).message).toBe(
      'Invalid option "fastGlobals (env SWITCHYARD_FAST_GLOBALS)": expected 1, true, 0 or false, got "maybe".',
    );
  });

  it("takes unhandledErrors from the option, else SWITCHYARD_UNHANDLED_ERRORS, else 'crash'", () => {
    expect(resolveOptions({ app }, {}).unhandledErrors).toBe('crash');
    expect(resolveOptions({ app }, { SWITCHYARD_UNHANDLED_ERRORS: 'log' }).unhandledErrors).toBe('log');
    expect(resolveOptions({ app, unhandledErrors: 'crash' }, { SWITCHYARD_UNHANDLED_ERRORS: 'log' }).unhandledErrors).toBe('crash');
    expect(failure(() => resolveOptions({ app, unhandledErrors: 'ignore' as 'log' }, {})).message).toBe(
      `Invalid option "unhandledErrors": expected 'log' or 'crash', got "ignore".`,
    );
    expect(failure(() => resolveOptions({ app }, { SWITCHYARD_UNHANDLED_ERRORS: 'yes' })).message).toBe(
      `Invalid option "unhandledErrors (env SWITCHYARD_UNHANDLED_ERRORS)": expected 'log' or 'crash', got "yes".`,
    );
  });

  it('takes the overload limits (0, the default, is off) and the health paths', () => {
    expect(resolveOptions({ app }, {}).limits).toMatchObject({ maxEventLoopDelay: 0, maxInFlight: 0 });
    expect(resolveOptions({ app, limits: { maxEventLoopDelay: 50, maxInFlight: 0 } }, {}).limits).toMatchObject({ maxEventLoopDelay: 50, maxInFlight: 0 });
    expect(failure(() => resolveOptions({ app, limits: { maxInFlight: -1 } }, {})).message).toContain('"limits.maxInFlight"');
    expect(resolveOptions({ app }, {}).healthPaths).toEqual(['/health', '/healthz', '/readyz']);
    expect(resolveOptions({ app, healthPaths: [] }, {}).healthPaths).toEqual([]);
    expect(failure(() => resolveOptions({ app, healthPaths: ['healthz'] }, {})).message).toBe(
      `Invalid option "healthPaths": expected an array of paths, each starting with '/' and without a query, got an array.`,
    );
  });

  it('takes metrics, log and health from the options, else the environment, all off by default', () => {
    expect(resolveOptions({ app }, {})).toMatchObject({ metrics: undefined, log: undefined, pino: undefined, health: undefined });
    expect(resolveOptions({ app, metrics: 9464 }, {}).metrics).toEqual({ port: 9464 });
    expect(resolveOptions({ app, metrics: '/ops/metrics' }, {}).metrics).toEqual({ path: '/ops/metrics' });
    expect(resolveOptions({ app, metrics: true }, {}).metrics).toEqual({ path: '/metrics' });
    expect(resolveOptions({ app }, { SWITCHYARD_METRICS: '9100' }).metrics).toEqual({ port: 9100 });
    expect(resolveOptions({ app, metrics: false }, { SWITCHYARD_METRICS: '9100' }).metrics).toBeUndefined();
    expect(resolveOptions({ app }, { SWITCHYARD_LOG: 'debug' }).log).toBe('debug');
    expect(resolveOptions({ app, log: true }, {}).log).toBe('info');
    expect(typeof resolveOptions({ app, log: 'info' }, {}).pino?.info).toBe('function');
    expect(resolveOptions({ app, health: true }, {}).health).toEqual({ live: '/livez', ready: '/readyz' });
    expect(resolveOptions({ app, health: { ready: '/ready' } }, {}).health).toEqual({ live: '/livez', ready: '/ready' });
    expect(resolveOptions({ app }, { SWITCHYARD_HEALTH: '/alive,/ready' }).health).toEqual({ live: '/alive', ready: '/ready' });
    expect(resolveOptions({ app }, { SWITCHYARD_HEALTH: '0' }).health).toBeUndefined();
  });

  it('rejects bad metrics, log and health values, naming the option and what it accepts', () => {
    expect(failure(() => resolveOptions({ app, metrics: 70000 }, {})).message).toBe(
      `Invalid option "metrics": expected a port (1-65535), a path starting with '/', true (the path /metrics) or false, got 70000.`,
    );
    expect(failure(() => resolveOptions({ app }, { SWITCHYARD_METRICS: 'metrics' })).message).toContain('"metrics (env SWITCHYARD_METRICS)"');
    expect(failure(() => resolveOptions({ app, log: 'trace' as 'info' }, {})).message).toBe(
      `Invalid option "log": expected 'info', 'debug' or false, got "trace".`,
    );
    expect(failure(() => resolveOptions({ app }, { SWITCHYARD_LOG: 'loud' })).message).toContain('"log (env SWITCHYARD_LOG)"');
    expect(failure(() => resolveOptions({ app, health: { live: 'livez' } }, {})).message).toContain('"health.live"');
    expect(failure(() => resolveOptions({ app, health: { live: '/x', ready: '/x' } }, {})).message).toContain('"health.ready"');
    expect(failure(() => resolveOptions({ app, health: { alive: '/x' } as never }, {})).message).toContain('"health.alive"');
    expect(failure(() => resolveOptions({ app }, { SWITCHYARD_HEALTH: 'yes' })).message).toContain('"health (env SWITCHYARD_HEALTH)"');
  });

  it('rejects a non-integer limit', () => {
    expect(failure(() => resolveOptions({ app, limits: { maxBodySize: 0 } }, {})).message).toContain('"limits.maxBodySize"');
  });

  it('rejects a headers timeout above the request timeout', () => {
    const error = failure(() => resolveOptions({ app, limits: { requestTimeout: 1000, headersTimeout: 2000 } }, {}));
    expect(error.message).toBe('Invalid option "limits.headersTimeout": expected at most limits.requestTimeout (1000), got 2000.');
  });

  it('lowers the default headers timeout to a lowered request timeout', () => {
    expect(resolveOptions({ app, limits: { requestTimeout: 500 } }, {}).limits).toMatchObject({ requestTimeout: 500, headersTimeout: 500 });
  });

  it('rejects a missing app', () => {
    expect(failure(() => resolveOptions({} as { app: string }, {})).message).toContain('"app"');
  });

  it('falls back to PORT, HOST and WEB_CONCURRENCY', () => {
    const env = { PORT: '8081', HOST: '0.0.0.0', WEB_CONCURRENCY: '3' };
    expect(resolveOptions({ app }, env)).toMatchObject({ port: 8081, host: '0.0.0.0', workers: 3 });
  });

  it('lets options win over the environment, and ignores empty variables', () => {
    const env = { PORT: '8081', HOST: '0.0.0.0', WEB_CONCURRENCY: '3' };
    expect(resolveOptions({ app, port: 0, host: '::1', workers: 1 }, env)).toMatchObject({ port: 0, host: '::1', workers: 1 });
    expect(resolveOptions({ app }, { PORT: '', HOST: '' })).toMatchObject({ port: 3000, host: '127.0.0.1' });
  });

  it('validates environment values, naming the option they feed', () => {
    expect(failure(() => resolveOptions({ app }, { PORT: 'http' })).message).toContain('"port"');
    expect(failure(() => resolveOptions({ app }, { WEB_CONCURRENCY: '0' })).message).toContain('"workers"');
  });
});

describe('the channel option', () => {
  it('takes a redis:// URL from the option or SWITCHYARD_CHANNEL, and is off by default', () => {
    expect(resolveOptions({ app }, {}).channel).toBeUndefined();
    expect(resolveOptions({ app, channel: 'redis://cache:6379' }, {}).channel).toBe('redis://cache:6379');
    expect(resolveOptions({ app }, { SWITCHYARD_CHANNEL: 'rediss://cache/1?channel=shop' }).channel).toBe('rediss://cache/1?channel=shop');
  });

  it('fails at start on anything else, naming the option and what it accepts', () => {
    for (const bad of ['http://cache', 'cache:6379', 42]) {
      const error = failure(() => resolveOptions({ app, channel: bad as never }, {}));
      expect(error).toMatchObject({ code: 'ERR_INVALID_OPTION' });
      expect(error.message).toContain('Invalid option "channel": expected a redis:// or rediss:// URL');
    }
  });

  it('takes a bridge of its own as it is', () => {
    const bridge = { publish() {}, onMessage() {}, stats: () => ({}) as never, close: async () => {} };
    expect(resolveOptions({ app, channel: bridge }, {}).channel).toBe(bridge);
  });
});

describe('loadApp', () => {
  it('loads a module whose default export has fetch', async () => {
    const loaded = await loadApp(app);
    const response = await loaded.fetch(new Request('http://x/ping'), undefined as never);
    expect(await response!.text()).toBe('hello GET /ping');
  });

  it('reports a missing module with ERR_APP_NOT_FOUND and its path', async () => {
    const missing = fixture('missing.mjs');
    const error = await loadApp(missing).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SwitchyardError);
    expect(error).toMatchObject({ code: 'ERR_APP_NOT_FOUND' });
    expect((error as Error).message).toContain(missing);
  });

  it('reports a default export without fetch with ERR_APP_INVALID', async () => {
    const error = await loadApp(fixture('no-fetch.mjs')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_APP_INVALID' });
    expect((error as Error).message).toContain('has no fetch method (keys: handler)');
  });

  it('reports a module without a default export with ERR_APP_INVALID', async () => {
    const error = await loadApp(new URL('./fixtures/no-default.mjs', import.meta.url)).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_APP_INVALID' });
    expect((error as Error).message).toContain('it has no default export');
  });

  it('loads CommonJS apps: module.exports, a .cjs file, and what tsc emits for CommonJS', async () => {
    for (const [file, body] of [
      ['module-exports.js', 'commonjs /a'],
      ['named.cjs', 'cjs /a'],
      ['tsc-output.js', 'tsc /a'],
    ]) {
      const loaded = await loadApp(fixture(`commonjs/${file}`));
      const response = await loaded.fetch(new Request('http://x/a'), undefined as never);
      expect(await response!.text(), file).toBe(body);
    }
  });

  it('says so when a .js app with export syntax is loaded as CommonJS, naming both fixes', async () => {
    const error = await loadApp(fixture('commonjs/esm-syntax.js')).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ERR_APP_COMMONJS' });
    const message = (error as Error).message;
    expect(message).toContain(fixture('commonjs/package.json'));
    expect(message).toContain('"type": "commonjs"');
    expect(message).toContain('.mjs');
    expect(message).toContain('"type": "module"');
  });

  it("loads a TypeScript app where Node strips types, and otherwise names Node's stripping and tsx", async () => {
    const typed = fixture('typed.ts');
    const outcome = await loadApp(typed).then(
      async (loaded) => (await loaded.fetch(new Request('http://x/t'), undefined as never))!.text(),
      (error: unknown) => error,
    );
    if ((process.features as { typescript?: unknown }).typescript) {
      expect(outcome).toBe('typed /t');
    } else {
      expect(outcome).toMatchObject({ code: 'ERR_APP_TYPESCRIPT' });
      expect((outcome as Error).message).toContain('Node >= 22.18');
      expect((outcome as Error).message).toContain('NODE_OPTIONS="--import tsx"');
    }
  });
});
