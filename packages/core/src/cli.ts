/**
 * `switchyard serve <app>`: runs an app module under a backend chosen by flag
 * or environment. Flags override env; `resolveOptions` fills in the rest.
 * `switchyard bench <app>` is handed to @switchyard/bench (cli-bench.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { benchCommand } from './cli-bench.js';
import { appNotFound, invalidOption } from './errors.js';
import { watchLauncher } from './launcher.js';
import { watchApp } from './watch.js';
import { appUrl } from './load-app.js';
import { resolveBackend, resolveOptions } from './options.js';
import { serve } from './serve.js';
import { holdSignalsWhileStarting } from './signals.js';
import { reportFatal, reportToSupervisor } from './supervised-child.js';
import { supervise, SUPERVISED_ENV } from './supervisor.js';
import type { ServeOptions } from './types.js';

const USAGE = `Usage: switchyard serve <app> [options]
       switchyard bench <app> --route <path> [--route <path> ...] [options]

serve  runs <app>, an ES module whose default export has a fetch(request, ctx) method.
bench  runs <app> under reactor, pool and cluster with the same load on each
       route, prints the table and which model to use, and flags handlers that
       block the event loop. Needs @switchyard/bench; "switchyard bench --help"
       lists its options.

Options of serve:
  --backend <name>  reactor, pool, cluster, threads  env SWITCHYARD_BACKEND, default reactor
  --port <n>        port, 0 for any free port  env PORT, default 3000
  --host <address>  address to listen on       env HOST, default 127.0.0.1
  --workers <n>     threads (pool, threads) or processes (cluster)
                                               env WEB_CONCURRENCY, default: CPU count
  --no-fast-globals keep the platform's global Request and Response
                    (by default the app sees core's faster ones)
                                               env SWITCHYARD_FAST_GLOBALS=0
  --unhandled-errors <log|crash>
                    log a rejection nobody handled or a throw from a timer,
                    with its request, and keep serving (log); or end the
                    process, as Node does (crash)
                                               env SWITCHYARD_UNHANDLED_ERRORS, default log
  --grace-ms <n>    how long a shutdown waits for in-flight requests, default 10000
  --max-event-loop-delay <ms>
                    answer new requests 503 while the event loop has been
                    busy this long; 0 (default) is off
  --max-in-flight <n>
                    answer new requests 503 past this many in flight (per
                    process); 0 (default) is off. /health, /healthz and /readyz are
                    never refused
  --metrics <port|path>
                    serve Prometheus metrics of every thread or process:
                    on their own port, or at a path of the server's port
                                               env SWITCHYARD_METRICS, default off
  --log [info|debug]
                    access logs: one JSON line per request (pino, stdout);
                    lifecycle events and errors join the same stream
                                               env SWITCHYARD_LOG, default off
  --health [live,ready]
                    answer liveness and readiness probes in the runner, at
                    /livez and /readyz or the two paths given
                                               env SWITCHYARD_HEALTH, default off
  --channel <url>   carry ctx.channel messages to every other instance of
                    the app through Redis (redis://host:port); needs the
                    @switchyard/redis package   env SWITCHYARD_CHANNEL, default off
  --watchdog-ms <n> reactor: restart the server when its event loop is stuck
                    this long, default 10000
  --no-supervisor   reactor: run the server in this process, with no
                    supervisor to restart it if it exits or gets stuck
  --watch           reload when a source file in the app's folder changes,
                    as on SIGHUP: rolling (cluster, threads), new threads
                    (pool), or a restart (reactor); an app that does not
                    load leaves the old one serving
  -h, --help        print this help
  -v, --version     print the version

Flags override the environment. SIGTERM or SIGINT stop the server gracefully;
SIGHUP reloads the app. Started by npx, npm or pnpm, the server also stops
when that process exits.
The reactor runs in a child process that a supervisor restarts when it
exits or its event loop is stuck (the pool, threads and cluster backends
restart their own threads and processes).
`;

const COMMANDS = ['serve', 'bench'];

/** A mistake in the command line itself: exit 2, as POSIX tools do. */
class UsageError extends Error {}

function version(): string {
  const pkg = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

/** Flags whose value may be left out, and what they mean then. */
const OPTIONAL_VALUES: Record<string, { bare: string; values: RegExp }> = {
  '--log': { bare: 'info', values: /^(info|debug|off|false|0)$/i },
  '--health': { bare: '1', values: /^(\/[^,]*,\/.*|1|true|0|false|on|off)$/i },
};

/** `--log` alone means `--log=info`, `--health` alone `--health=1`: parseArgs has no optional values. */
function withOptionalValues(argv: string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const optional = OPTIONAL_VALUES[arg];
    if (!optional) out.push(arg);
    else if (i + 1 < argv.length && optional.values.test(argv[i + 1]!)) out.push(`${arg}=${argv[++i]}`);
    else out.push(`${arg}=${optional.bare}`);
  }
  return out;
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: withOptionalValues(argv),
      allowPositionals: true,
      options: {
        backend: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        workers: { type: 'string' },
        'no-fast-globals': { type: 'boolean' },
        'unhandled-errors': { type: 'string' },
        'grace-ms': { type: 'string' },
        'max-event-loop-delay': { type: 'string' },
        'max-in-flight': { type: 'string' },
        'watchdog-ms': { type: 'string' },
        metrics: { type: 'string' },
        log: { type: 'string' },
        health: { type: 'string' },
        channel: { type: 'string' },
        'no-supervisor': { type: 'boolean' },
        watch: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

async function main(argv: string[]): Promise<void> {
  // The bench parses its own flags.
  if (argv[0] === 'bench') {
    const code = await benchCommand(argv.slice(1));
    // Exit once the output is flushed: a finished run may leave timers or sockets behind.
    return void process.stdout.write('', () => process.exit(code));
  }
  const { values, positionals } = parse(argv);
  if (values.help) return void process.stdout.write(USAGE);
  if (values.version) return void process.stdout.write(`${version()}\n`);

  const [command, app, ...extra] = positionals;
  if (command === undefined) throw new UsageError('Missing command.');
  if (!COMMANDS.includes(command)) throw new UsageError(`Unknown command "${command}". Commands: ${COMMANDS.join(', ')}.`);
  if (app === undefined) throw new UsageError('Missing <app>: the path of the app module to serve.');
  if (extra.length > 0) throw new UsageError(`Unexpected argument "${extra[0]}".`);

  const backend = resolveBackend(values.backend);
  // resolveOptions parses numeric strings as it does env values, so an error
  // quotes exactly what was typed.
  const flags = {
    app,
    port: values.port,
    host: values.host,
    workers: values.workers,
    graceMs: values['grace-ms'],
    limits: {
      maxEventLoopDelay: values['max-event-loop-delay'],
      maxInFlight: values['max-in-flight'],
    },
    ...(values['no-fast-globals'] ? { fastGlobals: false } : {}),
    // Under the CLI a stray error is logged unless asked otherwise.
    unhandledErrors: values['unhandled-errors'] ?? fromEnv('SWITCHYARD_UNHANDLED_ERRORS') ?? 'log',
    ...(values.metrics === undefined ? {} : { metrics: values.metrics }),
    ...(values.log === undefined ? {} : { log: values.log }),
    ...(values.health === undefined ? {} : { health: values.health }),
    ...(values.channel === undefined ? {} : { channel: values.channel }),
  };
  const options = resolveOptions(flags as unknown as ServeOptions);
  const watchdogMs = watchdog(values['watchdog-ms']);
  // Report a mistyped app path as such, before importing a backend.
  const url = appUrl(app);
  if (url.protocol === 'file:' && !existsSync(url)) throw appNotFound(app, fileURLToPath(url));

  // The reactor's server, run by the supervisor in this CLI's parent: the parent watches and reloads.
  const supervisedChild = process.env[SUPERVISED_ENV] === '1';
  // A launcher (npx, npm, pnpm) killed by PID does not pass the signal on: stop as on SIGTERM when it exits.
  if (!supervisedChild) {
    watchLauncher((pid) => {
      console.error(`[switchyard] the process that started this one (pid ${pid}) has exited: stopping`);
      process.kill(process.pid, 'SIGTERM');
    });
  }

  const supervised = backend === 'reactor' && !values['no-supervisor'];
  const watching = values.watch === true && !supervisedChild;
  if (watching && backend === 'reactor' && !supervised) throw new UsageError('--watch needs the supervisor under reactor: leave out --no-supervisor.');
  if (watching && url.protocol !== 'file:') throw new UsageError('--watch needs an app on the file system.');
  // The same reload as SIGHUP, which pool, cluster and the reactor's supervisor handle once started.
  const startWatching = () => {
    watchApp(fileURLToPath(url), (file) => {
      console.error(`[switchyard] watch: ${file} changed`);
      process.kill(process.pid, 'SIGHUP');
    });
  };

  if (supervised && !supervisedChild) {
    if (watching) setImmediate(startWatching);
    const code = await supervise({ module: fileURLToPath(import.meta.url), args: argv, app, graceMs: options.graceMs, watchdogMs, logger: console });
    process.exit(code);
  }

  // Until the server's own handlers are in place, a signal would end the process mid-start: kept, and sent again once started.
  const started = holdSignalsWhileStarting(options.graceMs, options.logger);
  const server = await serve({
    app,
    backend,
    port: options.port,
    host: options.host,
    workers: options.workers,
    graceMs: options.graceMs,
    limits: { maxEventLoopDelay: options.limits.maxEventLoopDelay, maxInFlight: options.limits.maxInFlight },
    fastGlobals: options.fastGlobals,
    unhandledErrors: options.unhandledErrors,
    metrics: options.metrics ? ('port' in options.metrics ? options.metrics.port : options.metrics.path) : false,
    log: options.log ?? false,
    health: options.health ?? false,
    ...(typeof options.channel === 'string' ? { channel: options.channel } : {}),
    // One pino stream for access lines and lifecycle events.
    ...(options.pino ? { logger: options.pino } : {}),
  });
  const line = `switchyard: ${backend} serving ${app} at ${server.url} (${capacity(backend, options.workers)})`;
  if (options.pino) options.logger.info(line);
  else process.stdout.write(`${line}\n`);
  if (supervisedChild) reportToSupervisor(server.port, () => server.close());
  if (watching) startWatching();
  started();
}

/** What serves requests: the pool's express lane is a thread beside its serving ones (see the pool README). */
function capacity(backend: string, workers: number): string {
  if (backend === 'reactor') return '1 worker';
  if (backend === 'pool') return `${workers} thread${workers === 1 ? '' : 's'} + express lane`;
  return `${workers} worker${workers === 1 ? '' : 's'}`;
}

function fromEnv(name: string): string | undefined {
  const value = process.env[name];
  return value === undefined || value === '' ? undefined : value;
}

function watchdog(value: string | undefined): number {
  if (value === undefined) return 10_000;
  const ms = Number(value);
  if (!Number.isInteger(ms) || ms < 100) throw invalidOption('--watchdog-ms', 'an integer >= 100', value);
  return ms;
}

// Exit explicitly: a backend that failed half-way may leave handles open.
main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError) {
    process.stderr.write(`switchyard: ${error.message}\nRun "switchyard --help" for usage.\n`);
    process.exit(2);
  }
  // Matched by name: a backend may load its own copy of core.
  if ((error as Error | undefined)?.name === 'SwitchyardError') process.stderr.write(`switchyard: ${(error as Error).message}\n`);
  else console.error(error);
  void reportFatal().then(() => process.exit(1));
});
