import { invalidOption } from '@switchyard/core';
import { isBackendModel, isModel, MODELS } from './models.js';
import type {
  BenchOptions,
  ClassicOptions,
  ContenderName,
  ContenderSpec,
  Expectation,
  GeneratorName,
  ModelName,
  PairSpec,
  PinOptions,
  ProgressMode,
  QuietOptions,
  Scenario,
  SequentialOptions,
} from './types.js';

export const GENERATORS: readonly GeneratorName[] = ['autocannon', 'wrk'];
const PROGRESS: readonly ProgressMode[] = ['auto', 'bar', 'lines', 'none'];

/** Defaults of every run option; the suite's default profile uses these. */
export const kDefaultBenchOptions = {
  runs: 3,
  warmup: 1,
  duration: 3,
  generator: 'autocannon' as GeneratorName,
  timeout: 10,
  idleConnections: 10_000,
  connections: 100,
  progress: 'auto' as ProgressMode,
} as const;

export const kDefaultSequential: Required<SequentialOptions> = { backlog: 128, keepAlive: false };
export const kDefaultQuiet: Required<QuietOptions> = { idle: 0.9, windowS: 2, maxWaitS: 600 };
export const kDefaultClassic: Required<Omit<ClassicOptions, 'path' | 'expect'>> = { requests: 1000, concurrency: 150 };

/** Options after defaults and validation. */
export interface ResolvedBenchOptions extends Omit<BenchOptions, 'models' | 'classic' | 'sequential' | 'contenders' | 'pin' | 'pairs' | 'quiet'> {
  /** The models asked for, then the contenders: everything the run measures, in report order. */
  models: ContenderName[];
  contenders: Record<string, ContenderSpec>;
  /** The CPUs to pin to; `auto` where missing taskset or cores only warn. */
  pin: (Required<PinOptions> & { required: boolean }) | undefined;
  runs: number;
  warmup: number;
  duration: number;
  generator: GeneratorName;
  timeout: number;
  idleConnections: number;
  seed: number;
  baseline: ContenderName;
  progress: ProgressMode;
  fresh: 'round' | 'run';
  sequential: Required<SequentialOptions>;
  classic: (Required<Omit<ClassicOptions, 'expect'>> & { expect?: Expectation }) | undefined;
  pairs: PairSpec[];
  quiet: Required<QuietOptions> | undefined;
  log: (line: string) => void;
}

const quoted = (values: readonly string[]) => values.map((v) => `"${v}"`).join(', ');
const oneOf = (values: readonly string[]) => `one of ${quoted(values)}`;
const someOf = (values: readonly string[]) => `some of ${quoted(values)}`;

function number(name: string, value: unknown, fallback: number, { min = 0, integer = false, above = false } = {}): number {
  if (value === undefined) return fallback;
  const ok = typeof value === 'number' && Number.isFinite(value) && (above ? value > min : value >= min) && (!integer || Number.isInteger(value));
  if (!ok) throw invalidOption(name, `${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}`, value);
  return value;
}

function validateScenario(scenario: Scenario, index: number, names: Set<string>, known: readonly string[]): void {
  const at = `scenarios[${index}]`;
  if (scenario === null || typeof scenario !== 'object') throw invalidOption(at, 'a scenario object', scenario);
  if (typeof scenario.name !== 'string' || !/^[a-z0-9][a-z0-9-]*$/.test(scenario.name)) {
    throw invalidOption(`${at}.name`, 'a name of lower-case letters, digits and dashes', scenario.name);
  }
  if (names.has(scenario.name)) throw invalidOption(`${at}.name`, 'a name not used by another scenario', scenario.name);
  names.add(scenario.name);
  if (typeof scenario.request?.path !== 'string' || !scenario.request.path.startsWith('/')) {
    throw invalidOption(`${at}.request.path`, 'a path starting with "/"', scenario.request?.path);
  }
  number(`${at}.connections`, scenario.connections, 1, { min: 1, integer: true });
  if (scenario.kind !== undefined && scenario.kind !== 'load' && scenario.kind !== 'idle') {
    throw invalidOption(`${at}.kind`, oneOf(['load', 'idle']), scenario.kind);
  }
  if (scenario.kind === 'idle') {
    if (typeof scenario.idle?.request?.path !== 'string' || !scenario.idle.request.path.startsWith('/')) {
      throw invalidOption(`${at}.idle.request.path`, 'a path starting with "/"', scenario.idle?.request?.path);
    }
    number(`${at}.idle.count`, scenario.idle.count, 1, { min: 1, integer: true });
    if (scenario.idle.heldWhen !== undefined && !['head', 'connect'].includes(scenario.idle.heldWhen)) {
      throw invalidOption(`${at}.idle.heldWhen`, oneOf(['head', 'connect']), scenario.idle.heldWhen);
    }
  }
  if (scenario.probe !== undefined) {
    if (typeof scenario.probe?.request?.path !== 'string' || !scenario.probe.request.path.startsWith('/')) {
      throw invalidOption(`${at}.probe.request.path`, 'a path starting with "/"', scenario.probe?.request?.path);
    }
    const open = scenario.probe.openLoop;
    if (open !== undefined && typeof open !== 'boolean') throw invalidOption(`${at}.probe.openLoop`, 'a boolean', open);
    // An open loop sends every everyMs: zero would be no schedule at all.
    number(`${at}.probe.everyMs`, scenario.probe.everyMs, 0, { above: open === true });
    const on = scenario.probe.on;
    if (on !== undefined && on !== 'server' && on !== 'metrics') throw invalidOption(`${at}.probe.on`, oneOf(['server', 'metrics']), on);
  }
  number(`${at}.timeout`, scenario.timeout, 1, { min: 1, integer: true });
  number(`${at}.warmup`, scenario.warmup, 0);
  if (scenario.drain !== undefined && typeof scenario.drain !== 'boolean') throw invalidOption(`${at}.drain`, 'a boolean', scenario.drain);
  if (scenario.isolation !== undefined) {
    const cell = scenario.isolation;
    if (typeof cell?.work !== 'string' || cell.work === '') throw invalidOption(`${at}.isolation.work`, 'the kind of work, a non-empty string', cell?.work);
    if (cell.costMs === undefined) throw invalidOption(`${at}.isolation.costMs`, 'a number >= 0', undefined);
    number(`${at}.isolation.costMs`, cell.costMs, 0);
  }
  for (const model of scenario.models ?? []) {
    if (!known.includes(model)) throw invalidOption(`${at}.models`, someOf(known), model);
  }
}

/**
 * Fills in defaults and validates, failing with an error that names the
 * option and the values it accepts.
 */
export function resolveBenchOptions(input: BenchOptions): ResolvedBenchOptions {
  if (input === null || typeof input !== 'object') throw invalidOption('options', 'an object', input);
  if (!Array.isArray(input.scenarios) || input.scenarios.length === 0) {
    throw invalidOption('scenarios', 'a non-empty array of scenarios', input.scenarios);
  }
  const contenders = resolveContenders(input);
  const names = new Set<string>();
  input.scenarios.forEach((scenario, index) => {
    validateScenario(scenario, index, names, [...MODELS, ...Object.keys(contenders)]);
  });

  // Threads run only when listed: they need Node 22.12 or later.
  const available = MODELS.filter((model) => model !== 'threads' && (model === 'raw' ? input.rawHandler !== undefined : input.app !== undefined));
  let models: ModelName[];
  // Contenders name what they run; the models then run only when listed.
  if (input.models === undefined) models = Object.keys(contenders).length ? [] : available;
  else {
    if (!Array.isArray(input.models) || input.models.length === 0) throw invalidOption('models', `a non-empty array of ${quoted(MODELS)}`, input.models);
    for (const model of input.models) if (!MODELS.includes(model)) throw invalidOption('models', someOf(MODELS), model);
    if (input.models.includes('raw') && input.rawHandler === undefined)
      throw invalidOption('rawHandler', 'a handler module path (the "raw" model needs one)', undefined);
    // An attached server is already running its app.
    const app = input.models.find((model) => model !== 'raw' && input.attach?.[model] === undefined);
    if (app && input.app === undefined) throw invalidOption('app', `an app module path (the "${app}" model needs one)`, undefined);
    models = MODELS.filter((model) => input.models!.includes(model));
  }
  const lineup: ContenderName[] = [...models, ...Object.keys(contenders)];
  resolveAttach(input.attach, lineup);
  checkMetricsProbes(input, lineup, contenders);
  if (input.together !== undefined && typeof input.together !== 'boolean') throw invalidOption('together', 'a boolean', input.together);
  if (input.live !== undefined) {
    if (input.live === null || typeof input.live !== 'object' || typeof input.live.onTick !== 'function')
      throw invalidOption('live', 'an object with an onTick(tick) function', input.live);
    number('live.everyMs', input.live.everyMs, 1, { min: 1 });
  }
  if (lineup.length === 0) throw invalidOption('app', 'an app module path, or rawHandler (nothing to run)', undefined);

  const generator = input.generator ?? kDefaultBenchOptions.generator;
  if (!GENERATORS.includes(generator)) throw invalidOption('generator', oneOf(GENERATORS), generator);
  const progress = input.progress ?? kDefaultBenchOptions.progress;
  if (!PROGRESS.includes(progress)) throw invalidOption('progress', oneOf(PROGRESS), progress);

  const fresh = input.fresh ?? 'round';
  if (fresh !== 'round' && fresh !== 'run') throw invalidOption('fresh', oneOf(['round', 'run']), fresh);
  const runs = number('runs', input.runs, kDefaultBenchOptions.runs, { min: 1, integer: true });
  const warmup = number('warmup', input.warmup, kDefaultBenchOptions.warmup);
  const duration = number('duration', input.duration, kDefaultBenchOptions.duration, { above: true });
  // wrk takes whole seconds only.
  if (generator === 'wrk' && (!Number.isInteger(duration) || !Number.isInteger(warmup))) {
    throw invalidOption('duration', 'whole seconds with generator "wrk"', Number.isInteger(duration) ? warmup : duration);
  }
  input.scenarios.forEach((scenario, index) => {
    if (generator === 'wrk' && scenario.warmup !== undefined && !Number.isInteger(scenario.warmup)) {
      throw invalidOption(`scenarios[${index}].warmup`, 'whole seconds with generator "wrk"', scenario.warmup);
    }
  });
  const timeout = number('timeout', input.timeout, kDefaultBenchOptions.timeout, { min: 1, integer: true });
  const idleConnections = number('idleConnections', input.idleConnections, kDefaultBenchOptions.idleConnections, { min: 1, integer: true });
  const seed = number('seed', input.seed, Math.floor(Math.random() * 2 ** 31), { integer: true });
  number('workers', input.workers, 1, { min: 1, integer: true });

  // The raw handler when there is one; else the plain event loop, the model every other is a variation of.
  const baseline = input.baseline ?? (['raw', 'reactor'] as const).find((m) => lineup.includes(m)) ?? lineup[0]!;
  if (!lineup.includes(baseline)) throw invalidOption('baseline', `one of the models and contenders that run (${quoted(lineup)})`, baseline);

  const sequential = { ...kDefaultSequential, ...input.sequential };
  number('sequential.backlog', sequential.backlog, 0, { integer: true });
  if (typeof sequential.keepAlive !== 'boolean') throw invalidOption('sequential.keepAlive', 'a boolean', sequential.keepAlive);

  let classic: ResolvedBenchOptions['classic'];
  if (input.classic) {
    const given = input.classic === true ? {} : input.classic;
    const first = input.scenarios.find((s) => (s.request.method ?? 'GET') === 'GET') ?? input.scenarios[0]!;
    classic = {
      requests: number('classic.requests', given.requests, kDefaultClassic.requests, { min: 1, integer: true }),
      concurrency: number('classic.concurrency', given.concurrency, kDefaultClassic.concurrency, { min: 1, integer: true }),
      path: given.path ?? first.request.path,
      expect: given.expect ?? (given.path === undefined ? first.expect : undefined),
    };
    if (classic.concurrency > classic.requests)
      throw invalidOption('classic.concurrency', `an integer <= classic.requests (${classic.requests})`, classic.concurrency);
  }

  const log = input.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const pin = resolvePin(input.pin);
  const pairs = resolvePairs(input.pairs, lineup);
  const quiet = resolveQuiet(input.quiet);
  return {
    ...input,
    models: lineup,
    contenders,
    pin,
    runs,
    warmup,
    duration,
    generator,
    timeout,
    idleConnections,
    seed,
    baseline,
    progress,
    fresh,
    sequential,
    classic,
    pairs,
    quiet,
    log,
  };
}

/** A probe on the runner's metrics port needs every server of its scenario to have one: a Switchyard model, or an attached server that names its port. */
function checkMetricsProbes(input: BenchOptions, lineup: ContenderName[], contenders: Record<string, ContenderSpec>): void {
  input.scenarios.forEach((scenario, index) => {
    if (scenario.probe?.on !== 'metrics') return;
    for (const name of lineup) {
      if (scenario.models && !scenario.models.includes(name)) continue;
      const attached = input.attach?.[name];
      const model = contenders[name] ? contenders[name]!.model : (name as ModelName);
      const ok = attached ? typeof attached.metricsUrl === 'string' : isBackendModel(model);
      if (!ok) {
        throw invalidOption(
          `scenarios[${index}].probe.on`,
          `"server", since "${name}" runs this scenario and has no runner's metrics port (only the "reactor", "pool", "cluster" and "threads" models, and attached servers with a metricsUrl, have one)`,
          'metrics',
        );
      }
    }
  });
}

/** Each attached server is one of the run's models or contenders, with a URL and a process id. */
function resolveAttach(attach: BenchOptions['attach'], lineup: ContenderName[]): void {
  if (attach === undefined) return;
  if (attach === null || typeof attach !== 'object' || Array.isArray(attach)) throw invalidOption('attach', 'an object of model name → { url, pid }', attach);
  for (const [name, server] of Object.entries(attach)) {
    if (server === undefined) continue;
    if (!lineup.includes(name)) throw invalidOption('attach', `names of the models and contenders that run (${quoted(lineup)})`, name);
    if (server === null || typeof server !== 'object' || typeof server.url !== 'string' || !/^https?:\/\//.test(server.url))
      throw invalidOption(`attach.${name}.url`, 'an http:// URL', server?.url);
    number(`attach.${name}.pid`, server.pid, 1, { min: 1, integer: true });
    if (server.pid === undefined) throw invalidOption(`attach.${name}.pid`, 'the process id of the server', undefined);
  }
}

/** Each pair names two different models or contenders of the run. */
function resolvePairs(pairs: BenchOptions['pairs'], lineup: ContenderName[]): PairSpec[] {
  if (pairs === undefined) return [];
  if (!Array.isArray(pairs)) throw invalidOption('pairs', 'an array of { model, over }', pairs);
  return pairs.map((pair, index) => {
    const at = `pairs[${index}]`;
    if (pair === null || typeof pair !== 'object') throw invalidOption(at, 'a { model, over } object', pair);
    for (const key of ['model', 'over'] as const) {
      if (!lineup.includes(pair[key])) throw invalidOption(`${at}.${key}`, `one of the models and contenders that run (${quoted(lineup)})`, pair[key]);
    }
    if (pair.model === pair.over) throw invalidOption(`${at}.over`, `a model other than "${pair.model}"`, pair.over);
    if (pair.label !== undefined && (typeof pair.label !== 'string' || pair.label === '')) throw invalidOption(`${at}.label`, 'a non-empty string', pair.label);
    if (pair.target !== undefined) number(`${at}.target`, pair.target, 0, { above: true });
    return { ...pair, label: pair.label ?? `${pair.model} / ${pair.over}` };
  });
}

function resolveQuiet(quiet: BenchOptions['quiet']): Required<QuietOptions> | undefined {
  if (quiet === undefined || quiet === false) return undefined;
  if (quiet === true) return { ...kDefaultQuiet };
  if (quiet === null || typeof quiet !== 'object') throw invalidOption('quiet', 'a boolean or { idle, windowS, maxWaitS }', quiet);
  const idle = number('quiet.idle', quiet.idle, kDefaultQuiet.idle);
  if (idle > 1) throw invalidOption('quiet.idle', 'a share from 0 to 1', idle);
  return {
    idle,
    windowS: number('quiet.windowS', quiet.windowS, kDefaultQuiet.windowS, { above: true }),
    maxWaitS: number('quiet.maxWaitS', quiet.maxWaitS, kDefaultQuiet.maxWaitS),
  };
}

/** A `taskset -c` CPU list: `0`, `0-3`, `0,2`. */
const CPU_LIST = /^\d+(-\d+)?(,\d+(-\d+)?)*$/;

function resolvePin(pin: BenchOptions['pin']): ResolvedBenchOptions['pin'] {
  if (pin === undefined || pin === false) return undefined;
  if (pin === true || pin === 'auto') return { server: '0', generator: '1', required: pin === true };
  if (pin === null || typeof pin !== 'object') throw invalidOption('pin', 'true, false, "auto" or { server, generator }', pin);
  const resolved = { server: pin.server ?? '0', generator: pin.generator ?? '1', required: true };
  for (const key of ['server', 'generator'] as const) {
    if (typeof resolved[key] !== 'string' || !CPU_LIST.test(resolved[key]))
      throw invalidOption(`pin.${key}`, 'a taskset CPU list such as "0", "0-1" or "0,2"', resolved[key]);
  }
  return resolved;
}

/** Checks each contender: a name of its own, and either a model it can start or a server module. */
function resolveContenders(input: BenchOptions): Record<string, ContenderSpec> {
  const given = input.contenders ?? {};
  if (given === null || typeof given !== 'object' || Array.isArray(given)) throw invalidOption('contenders', 'an object of name → contender', given);
  for (const [name, spec] of Object.entries(given)) {
    const at = `contenders.${name}`;
    if (!/^[a-z0-9][a-z0-9-]*$/.test(name)) throw invalidOption('contenders', 'names of lower-case letters, digits and dashes', name);
    if (isModel(name)) throw invalidOption('contenders', `names other than the models' (${quoted(MODELS)})`, name);
    if (spec === null || typeof spec !== 'object') throw invalidOption(at, 'a contender object', spec);
    if ((spec.model === undefined) === (spec.server === undefined)) throw invalidOption(at, 'either "model" or "server", not both', spec);
    if (spec.model !== undefined) {
      if (!isModel(spec.model)) throw invalidOption(`${at}.model`, oneOf(MODELS), spec.model);
      if (spec.model === 'raw' && (spec.rawHandler ?? input.rawHandler) === undefined)
        throw invalidOption(`${at}.rawHandler`, 'a handler module path (the "raw" model needs one)', undefined);
      if (spec.model !== 'raw' && (spec.app ?? input.app) === undefined)
        throw invalidOption(`${at}.app`, `an app module path (the "${spec.model}" model needs one)`, undefined);
    } else if (typeof spec.server !== 'string' && !(spec.server instanceof URL)) {
      throw invalidOption(`${at}.server`, 'a path or file URL of a server module', spec.server);
    }
    if (spec.options !== undefined && (spec.options === null || typeof spec.options !== 'object'))
      throw invalidOption(`${at}.options`, 'an object', spec.options);
    number(`${at}.workers`, spec.workers, 1, { min: 1, integer: true });
  }
  return given;
}
