/**
 * What the suite's commands share: flags checked with messages that name
 * the flag and what it accepts, and the end of a run (reports written,
 * printed, validated).
 */
import { writeFileSync } from 'node:fs';
import { relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { failedModels, markdownReport, validateReportDir, which, writeReports } from '@switchyard/bench';
import { RESULTS, userPath } from './matrix/paths.mjs';

export function fail(flag, accepted, got) {
  throw new TypeError(`--${flag} must be ${accepted} (got ${JSON.stringify(got)})`);
}

export function number(flag, value, { integer = false, min = 0, above = false } = {}) {
  if (value === undefined) return undefined;
  const n = Number(value);
  const ok = value.trim() !== '' && Number.isFinite(n) && (above ? n > min : n >= min) && (!integer || Number.isInteger(n));
  if (!ok) fail(flag, `${integer ? 'an integer' : 'a number'} ${above ? '>' : '>='} ${min}`, value);
  return n;
}

/** `shown`: how the accepted names read in an error (default: all of them, then the groups). */
export function list(flag, value, accepted, groups = {}, shown = [...accepted, ...Object.keys(groups)]) {
  if (value === undefined) return undefined;
  const names = value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (names.length === 0) fail(flag, `a comma-separated list of ${shown.join(', ')}`, value);
  const out = [];
  for (const name of names) {
    const expanded = groups[name] ?? [name];
    for (const each of expanded) {
      if (!accepted.includes(each)) fail(flag, `a comma-separated list of ${shown.join(', ')}`, name);
      if (!out.includes(each)) out.push(each);
    }
  }
  // Keep the suite's own order, whatever order the flag used.
  return accepted.filter((name) => out.includes(name));
}

/**
 * A single-purpose command's flags, parsed strictly: an unknown flag or one
 * missing its value throws, naming it. `--help` (`-h`) is added: with it,
 * `help` is printed and undefined returned.
 */
export function commandFlags(argv, options, help, print = (text) => process.stdout.write(text)) {
  const { values } = parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false });
  if (!values.help) return values;
  print(`${help}\n`);
  return undefined;
}

/**
 * `commandFlags` for a script whose work runs at the top level: `check`
 * turns the values into its settings; a mistake in either is printed with
 * `help` and exits 1, and `--help` prints `help` and exits 0.
 */
export function scriptFlags(command, options, help, check = (values) => values, argv = process.argv.slice(2)) {
  try {
    const values = commandFlags(argv, options, help);
    if (values) return check(values);
  } catch (error) {
    console.error(`${command}: ${error.message}\n\n${help}`);
    process.exit(1);
  }
  process.exit(0);
}

/** The flags every run command takes; `extra` adds a command's own. */
const RUN_OPTIONS = {
  quick: { type: 'boolean' },
  scenarios: { type: 'string' },
  models: { type: 'string' },
  runs: { type: 'string' },
  duration: { type: 'string' },
  warmup: { type: 'string' },
  generator: { type: 'string' },
  workers: { type: 'string' },
  timeout: { type: 'string' },
  seed: { type: 'string' },
  out: { type: 'string' },
  progress: { type: 'string' },
  strict: { type: 'boolean' },
  list: { type: 'boolean' },
  help: { type: 'boolean', short: 'h' },
};

/**
 * Parses `argv` with the shared flags and `extra`, and checks the shared
 * ones against the profile (`profiles.quick` with --quick, else
 * `profiles.default`, each `{ runs, duration, warmup }`). Returns the raw
 * `values` for the command's own flags and the checked shared ones.
 */
export function parseRunFlags(argv, profiles, extra = {}) {
  const { values } = parseArgs({ args: argv, options: { ...RUN_OPTIONS, ...extra }, strict: true, allowPositionals: false });
  const profile = values.quick ? 'quick' : 'default';
  const base = profiles[profile];
  if (values.progress !== undefined && !['auto', 'bar', 'lines', 'none'].includes(values.progress))
    fail('progress', 'auto, bar, lines or none', values.progress);
  const flags = {
    help: values.help === true,
    list: values.list === true,
    strict: values.strict === true,
    out: values.out,
    profile,
    runs: number('runs', values.runs, { integer: true, min: 1 }) ?? base.runs,
    duration: number('duration', values.duration, { above: true }) ?? base.duration,
    warmup: number('warmup', values.warmup) ?? base.warmup,
    workers: number('workers', values.workers, { integer: true, min: 1 }),
    timeout: number('timeout', values.timeout, { integer: true, min: 1 }) ?? 10,
    seed: number('seed', values.seed, { integer: true }),
    progress: values.progress ?? 'auto',
  };
  return { values, flags, base };
}

/** The generators a command's --generator takes, and what --pin's words mean to the engine. */
export const GENERATOR_CHOICES = ['auto', 'wrk', 'autocannon'];
export const PIN_CHOICES = { auto: 'auto', on: true, off: false };

/** Checks --generator and --pin (default `pin`), and returns them as the engine takes them (generator still `auto`: see pickGenerator). */
export function loadFlags(values, { pin = 'auto' } = {}) {
  if (values.generator !== undefined && !GENERATOR_CHOICES.includes(values.generator)) fail('generator', GENERATOR_CHOICES.join(', '), values.generator);
  if (values.pin !== undefined && !(values.pin in PIN_CHOICES)) fail('pin', Object.keys(PIN_CHOICES).join(', '), values.pin);
  return { generator: values.generator ?? 'auto', pin: PIN_CHOICES[values.pin ?? pin] };
}

/** wrk when asked or, with `auto`, when installed; otherwise autocannon, said in the log. */
export function pickGenerator(asked, log, command) {
  if (asked !== 'auto') return asked;
  if (which('wrk')) return 'wrk';
  log(`${command}: wrk is not installed, so autocannon generates the load (apt-get install wrk for the reference setup)`);
  return 'autocannon';
}

/** `seconds(flag, s)`: `s` as the generator takes it; wrk takes whole seconds, so those are rounded up, and said. */
export function secondsFor(generator, log, command) {
  return (flag, s) => {
    if (generator !== 'wrk' || Number.isInteger(s)) return s;
    log(`${command}: --${flag} ${s} rounded up to ${Math.ceil(s)} s for wrk, which takes whole seconds`);
    return Math.ceil(s);
  };
}

/**
 * The generator and the engine settings every runner takes from its flags
 * the same way; `seconds` rounds any other duration flag as the generator
 * needs (a scenario's own warm-up).
 */
export function runSettings(flags, log, command) {
  const generator = pickGenerator(flags.generator, log, command);
  const seconds = secondsFor(generator, log, command);
  const settings = {
    runs: flags.runs,
    duration: seconds('duration', flags.duration),
    warmup: seconds('warmup', flags.warmup),
    generator,
    pin: flags.pin,
    timeout: flags.timeout,
    progress: flags.progress,
    log,
    ...(flags.profile !== undefined && { profile: flags.profile }),
    ...(flags.seed !== undefined && { seed: flags.seed }),
  };
  return { seconds, settings };
}

/** The run's result as JSON in `file` as well (the older runners' --json and --out FILE.json). */
export function writeJson(result, file) {
  const path = userPath(file);
  writeFileSync(path, `${JSON.stringify(result, null, 2)}\n`);
  return path;
}

/**
 * Writes the reports to `out` (default bench/results/<timestamp>), prints
 * the markdown to stdout, and validates the folder: an invalid report sets
 * exit code 1, and so does a model that could not be measured with `strict`.
 */
export function finishReports(result, { out, strict = false, command = 'bench', print = (text) => process.stdout.write(text) }) {
  const dir = out ? userPath(out) : `${RESULTS}/${result.started.replace(/[:.]/g, '-')}`;
  writeReports(result, dir);
  print(`\n${markdownReport(result)}`);
  const shown = relative(process.env.INIT_CWD ?? process.cwd(), dir);
  const where = !shown ? '.' : shown.startsWith('..') ? dir : shown;
  const problems = validateReportDir(dir);
  if (problems.length) {
    console.error(`${command}: the report in ${where} is not valid:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
    return dir;
  }
  console.error(`${command}: reports in ${where}/ (results.json, results.md, report.html), checked valid`);
  const failed = failedModels(result);
  if (failed.length) {
    console.error(`${command}: ${failed.length} model(s) could not be measured:\n  ${failed.join('\n  ')}`);
    if (strict) process.exitCode = 1;
  }
  return dir;
}

/** Runs `main` when `moduleUrl` is the script node was started with; a mistake in the flags prints the help. */
export async function runAsScript(moduleUrl, main, help, command) {
  if (moduleUrl !== pathToFileURL(process.argv[1]).href) return;
  try {
    await main();
  } catch (error) {
    if (error instanceof TypeError || error?.code === 'ERR_INVALID_OPTION' || String(error?.code).startsWith('ERR_PARSE_ARGS_')) {
      console.error(`${command}: ${error.message}\n\n${help}`);
    } else console.error(error);
    process.exitCode = 1;
  }
}
