/**
 * The `switchyard bench` command line as `benchApp` options. A mistake
 * here is a usage error (exit 2) that names the flag and what it accepts.
 */
import { parseArgs } from 'node:util';
import { GENERATORS } from '../options.js';
import type { AppModelName, BenchAppOptions, GeneratorName } from '../types.js';
import { parseRoute } from './routes.js';

export const APP_MODELS: readonly AppModelName[] = ['reactor', 'pool', 'cluster', 'threads', 'sequential'];

/** A mistake in the command line: exit 2, as POSIX tools do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export interface ParsedCommand {
  help: boolean;
  json: boolean;
  options?: BenchAppOptions;
}

function flagNumber(flag: string, value: string | undefined, { integer = false, min = 0, above = false } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && (above ? n > min : n >= min) && (!integer || Number.isInteger(n));
  if (!ok) throw new UsageError(`Invalid --${flag} ${JSON.stringify(value)}: expected ${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}.`);
  return n;
}

function flagModels(value: string | undefined): AppModelName[] | undefined {
  if (value === undefined) return undefined;
  const models = value
    .split(',')
    .map((m) => m.trim())
    .filter(Boolean);
  const accepted = `a comma-separated list of ${APP_MODELS.join(', ')} that includes reactor, the reference`;
  for (const model of models) {
    if (model === 'raw') throw new UsageError(`Invalid --models "raw": raw needs a plain node:http handler, which an app module is not; expected ${accepted}.`);
    if (!APP_MODELS.includes(model as AppModelName)) throw new UsageError(`Invalid --models ${JSON.stringify(model)}: expected ${accepted}.`);
  }
  if (!models.includes('reactor')) throw new UsageError(`Invalid --models ${JSON.stringify(value)}: expected ${accepted}.`);
  return APP_MODELS.filter((model) => models.includes(model));
}

function flagRoute(flag: string, value: string): string {
  try {
    parseRoute(value);
    return value;
  } catch {
    throw new UsageError(
      `Invalid --${flag} ${JSON.stringify(value)}: expected a path starting with "/", or "METHOD /path" (e.g. --${flag} /report?month=3, --${flag} "POST /upload").`,
    );
  }
}

function parse(argv: string[]) {
  try {
    return parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        route: { type: 'string', short: 'r', multiple: true },
        models: { type: 'string' },
        probe: { type: 'string' },
        quick: { type: 'boolean' },
        runs: { type: 'string' },
        duration: { type: 'string' },
        warmup: { type: 'string' },
        connections: { type: 'string', short: 'c' },
        generator: { type: 'string' },
        workers: { type: 'string' },
        timeout: { type: 'string' },
        seed: { type: 'string' },
        'blocking-ms': { type: 'string' },
        out: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
}

/** Parses `switchyard bench` arguments (without the word `bench`). */
export function parseBenchArgs(argv: string[]): ParsedCommand {
  const { values, positionals } = parse(argv);
  if (values.help) return { help: true, json: false };
  const [app, ...extra] = positionals;
  if (app === undefined) throw new UsageError('Missing <app>: the path of the app module to bench.');
  if (extra.length > 0) throw new UsageError(`Unexpected argument ${JSON.stringify(extra[0])} (give each route with --route).`);
  const routes = (values.route ?? []).map((route) => flagRoute('route', route));
  if (routes.length === 0) throw new UsageError('Missing --route: name at least one route to load, e.g. --route /hello --route "/report?month=3".');
  const generator = values.generator;
  if (generator !== undefined && !GENERATORS.includes(generator as GeneratorName)) {
    throw new UsageError(`Invalid --generator ${JSON.stringify(generator)}: expected one of ${GENERATORS.join(', ')}.`);
  }
  const probe = values.probe === undefined ? undefined : values.probe === 'none' ? false : flagRoute('probe', values.probe);
  const options: BenchAppOptions = {
    app,
    routes,
    ...(values.quick && { quick: true }),
    ...(generator !== undefined && { generator: generator as GeneratorName }),
    ...(probe !== undefined && { probe }),
    ...(values.out !== undefined && { out: values.out }),
  };
  const numbers = {
    runs: flagNumber('runs', values.runs, { integer: true, min: 1 }),
    duration: flagNumber('duration', values.duration, { above: true }),
    warmup: flagNumber('warmup', values.warmup),
    connections: flagNumber('connections', values.connections, { integer: true, min: 1 }),
    workers: flagNumber('workers', values.workers, { integer: true, min: 1 }),
    timeout: flagNumber('timeout', values.timeout, { integer: true, min: 1 }),
    seed: flagNumber('seed', values.seed, { integer: true }),
    blockingMs: flagNumber('blocking-ms', values['blocking-ms'], { above: true }),
  };
  for (const [key, value] of Object.entries(numbers)) if (value !== undefined) Object.assign(options, { [key]: value });
  const models = flagModels(values.models);
  if (models) options.models = models;
  return { help: false, json: values.json === true, options };
}
