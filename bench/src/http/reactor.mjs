/**
 * The reactor's HTTP ratio bench: @switchyard/reactor against raw node:http
 * handlers that write the same bytes, on the same machine, in one run, on
 * the @switchyard/bench engine.
 *
 * Each timed run gets a fresh server process (`fresh: 'run'`), checked
 * before it is timed, with its own discarded warm-up. Fresh processes
 * matter: two processes running the same code differed by 5% and more in
 * CPU per request for their whole life in our runs (JIT decisions, heap and
 * code layout), so one long-lived process per contender is a sample of one.
 * Rounds run every contender once in a fresh seeded order, so the slow
 * drift of a shared machine lands on all alike and each round gives one
 * paired ratio.
 *
 * Run it through the CLI: node src/run.mjs --only http [--runs 8 --duration 3 ...]
 */
import { runBench } from '@switchyard/bench';
import { runSettings } from '../cli-kit.mjs';
import { BASELINE, CONTENDER_NAMES, CONTENDERS, EXPECTED, PAIRS } from './contenders.mjs';

export const HTTP_DEFAULTS = {
  /** Seconds per timed run. */
  duration: 3,
  /** Seconds of discarded warm-up before each timed run, in the same fresh process. */
  warmup: 2,
  /** Rounds: timed runs per contender, each in a fresh process. Many short rounds pair better than a few long ones on a shared machine. */
  runs: 8,
  connections: 100,
  generator: 'auto',
  contenders: CONTENDER_NAMES,
  seed: undefined,
  /** How raw-native reads the native body: 'reader' (the cheaper on Node 20) or 'arraybuffer'. */
  nativeRead: 'reader',
  /** auto | true | false: servers on CPU 0, the generator on CPU 1 (auto: when taskset and 2 CPUs are there). */
  pin: 'auto',
  timeout: 10,
  progress: 'auto',
};

/** `input` over HTTP_DEFAULTS; returns the engine's result. */
export async function runReactorHttp(input = {}, log = (line) => process.stderr.write(`${line}\n`)) {
  const options = { ...HTTP_DEFAULTS, ...input };
  for (const name of options.contenders) {
    if (!CONTENDERS[name]) throw new TypeError(`--contenders must be a comma-separated list of ${CONTENDER_NAMES.join(', ')} (got ${JSON.stringify(name)})`);
  }
  if (!['arraybuffer', 'reader'].includes(options.nativeRead))
    throw new TypeError(`--native-read must be arraybuffer or reader (got ${JSON.stringify(options.nativeRead)})`);
  const { settings } = runSettings(options, log, 'http');
  const names = CONTENDER_NAMES.filter((name) => options.contenders.includes(name));
  const contenders = Object.fromEntries(
    names.map((name) => [name, name === 'raw-native' ? { ...CONTENDERS[name], env: { BENCH_NATIVE_READ: options.nativeRead } } : CONTENDERS[name]]),
  );
  return runBench({
    title: 'Switchyard bridge: reactor vs raw node:http',
    contenders,
    scenarios: [
      {
        name: 'hello',
        title: `GET /, ${Buffer.byteLength('Hello, World!')} bytes of text`,
        description: 'Every server writes the same status, head (Date aside) and body: the generator measures only the cost of producing that answer.',
        request: { path: '/' },
        expect: EXPECTED,
        connections: options.connections,
      },
    ],
    ...(names.includes(BASELINE) && { baseline: BASELINE }),
    pairs: PAIRS.filter((pair) => names.includes(pair.model) && names.includes(pair.over)),
    fresh: 'run',
    ...settings,
    meta: { suite: 'bridge', nativeRead: options.nativeRead },
  });
}
