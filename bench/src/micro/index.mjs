/**
 * The tinybench micro suite, in-process: the Fetch bridge, pool dispatch,
 * channel fan-out and header conversion, one file per concern.
 *
 *   node src/micro/index.mjs [bridge,dispatch,channel,headers]
 *   (or node src/run.mjs --only micro [--micro-only LIST])
 */
import { pathToFileURL } from 'node:url';
import { fmtNs } from '@switchyard/bench';
import * as bridge from './bridge.bench.mjs';
import * as channel from './channel.bench.mjs';
import * as dispatch from './dispatch.bench.mjs';
import * as headers from './headers.bench.mjs';
import { groupMarkdown, MICRO_DEFAULTS, runSuite, SAMPLE_NS, sinkType } from './runner.mjs';

export { MICRO_DEFAULTS };

/** In the order they run and print. */
export const SUITES = [bridge, dispatch, channel, headers].map((m) => m.suite);
export const SUITE_NAMES = SUITES.map((s) => s.name);

/** Checks a `--micro-only` list; returns the names in suite order. */
export function pickSuites(list) {
  if (list === undefined) return SUITE_NAMES;
  const names = list
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !SUITE_NAMES.includes(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new TypeError(`--micro-only must be a comma-separated list of ${SUITE_NAMES.join(', ')} (got ${JSON.stringify(list)})`);
  }
  return SUITE_NAMES.filter((n) => names.includes(n));
}

/** `input`: tinybench `time` and `warmupTime` in ms, and `suites` (names; default all). */
export async function runMicro(input = {}, log = (line) => console.error(line)) {
  const { suites: names = SUITE_NAMES, ...rest } = input;
  const options = { ...MICRO_DEFAULTS, ...rest };
  const suites = [];
  for (const suite of SUITES) if (names.includes(suite.name)) suites.push(await runSuite(suite, options, log));
  return { sampleNs: SAMPLE_NS, options, suites, sinkType: sinkType() };
}

export function microMarkdown(result) {
  const parts = [
    `Time per operation: the median tinybench sample divided by the operations in it (${fmtNs(result.sampleNs)} of work per sample, or more where one call is itself many operations); "vs first" > 1 means faster than the group's first row, its reference.`,
  ];
  for (const suite of result.suites) {
    parts.push('', `### ${suite.title}`);
    for (const group of suite.groups) parts.push('', groupMarkdown(group));
  }
  return parts.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  console.log(microMarkdown(await runMicro({ suites: pickSuites(process.argv[2]) })));
}
