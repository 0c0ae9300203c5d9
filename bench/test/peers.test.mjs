/**
 * The peer suite: every contender answers every scenario it runs as the
 * bench expects (or it would not be timed), the flags, and the quick
 * suite end to end on a subset, with valid reports. No timing is asserted.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer, contenderSpec, serverSpec, startModel, validateReportDir } from '@switchyard/bench';
import { CONTENDER_NAMES, DEFAULT_CONTENDERS, engineLineup, FAST_APP, RAW_HANDLER } from '../src/peers/contenders.mjs';
import { parsePeerFlags } from '../src/peers/flags.mjs';
import { main } from '../src/peers/cli.mjs';
import { DEFAULT_PEER_SCENARIOS, PEER_SCENARIO_NAMES, peerScenarios } from '../src/peers/scenarios.mjs';

const target = { app: FAST_APP, rawHandler: RAW_HANDLER, workers: 2, sequential: { backlog: 128, keepAlive: false } };
const servers = {};

beforeAll(async () => {
  const { models, contenders } = engineLineup(CONTENDER_NAMES, { workers: 2 });
  const specs = [...models.map((m) => [m, serverSpec(m, target)]), ...Object.entries(contenders).map(([name, c]) => [name, contenderSpec(name, c, target)])];
  await Promise.all(specs.map(async ([name, spec]) => (servers[name] = await startModel(spec))));
}, 30_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
});

describe('every contender', () => {
  it.each(CONTENDER_NAMES)('%s answers each scenario it runs as the bench expects', async (name) => {
    const scenarios = peerScenarios(PEER_SCENARIO_NAMES, CONTENDER_NAMES).filter((s) => !s.models || s.models.includes(name));
    expect(scenarios.map((s) => s.name)).toEqual(expect.arrayContaining(['hello', 'json']));
    for (const scenario of scenarios) {
      expect(await checkAnswer(servers[name].url, scenario.request, scenario.expect), `${name} ${scenario.name}`).toEqual([]);
      // The idle scenario's held response: its head and first bytes at once, then the connection stays open.
      if (scenario.kind === 'idle')
        expect(await checkAnswer(servers[name].url, scenario.idle.request, scenario.idle.expect), `${name} ${scenario.name} hold`).toEqual([]);
    }
  });

  it('that is not multi-core runs hello, json, stream and upload', () => {
    for (const name of DEFAULT_CONTENDERS) {
      const runs = peerScenarios(PEER_SCENARIO_NAMES, CONTENDER_NAMES)
        .filter((s) => !s.models || s.models.includes(name))
        .map((s) => s.name);
      expect(runs, name).toEqual(expect.arrayContaining(['hello', 'json', 'stream', 'upload']));
    }
  });
});

describe('bench:peers flags', () => {
  it('defaults to 5 rounds of every scenario but idle, the default contenders, pinned when it can be', () => {
    expect(parsePeerFlags([])).toMatchObject({
      runs: 5,
      duration: 3,
      warmup: 1,
      generator: 'auto',
      pin: 'auto',
      scenarios: DEFAULT_PEER_SCENARIOS,
      models: DEFAULT_CONTENDERS,
      idle: 10_000,
    });
    expect(DEFAULT_PEER_SCENARIOS).toEqual(PEER_SCENARIO_NAMES.filter((name) => name !== 'idle'));
    expect(parsePeerFlags(['--scenarios', 'idle', '--idle', '500'])).toMatchObject({ scenarios: ['idle'], idle: 500 });
    expect(peerScenarios(['idle'], CONTENDER_NAMES, { idle: 500 })[0].idle.count).toBe(500);
    expect(peerScenarios(['idle'], CONTENDER_NAMES)[0].models).not.toContain('piscina');
    expect(() => parsePeerFlags(['--idle', '0'])).toThrow('--idle must be');
    expect(parsePeerFlags(['--quick'])).toMatchObject({ profile: 'quick', runs: 1, duration: 1, warmup: 0 });
  });

  it('takes contender groups, always keeps raw, and names the flag when a value is wrong', () => {
    expect(parsePeerFlags(['--models', 'reactor,multicore']).models).toEqual(['reactor', 'pool', 'cluster', 'node-cluster', 'piscina']);
    expect(engineLineup(['srvx']).names).toEqual(['raw', 'srvx']);
    expect(() => parsePeerFlags(['--models', 'express'])).toThrow('--models must be a comma-separated list of raw, reactor');
    expect(() => parsePeerFlags(['--pin', 'maybe'])).toThrow('--pin must be auto, on, off (got "maybe")');
    expect(() => parsePeerFlags(['--runs', '0'])).toThrow('--runs must be an integer >= 1');
  });
});

describe('the quick suite', () => {
  let dir;
  afterAll(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('runs a subset end to end and writes reports that validate', async () => {
    dir = mkdtempSync(join(tmpdir(), 'switchyard-peers-'));
    const lines = [];
    const { result } = await main(
      [
        '--quick',
        '--scenarios',
        'hello,json',
        '--models',
        'reactor,hono-node',
        '--generator',
        'autocannon',
        '--duration',
        '0.3',
        '--out',
        dir,
        '--progress',
        'none',
        '--seed',
        '1',
      ],
      {
        log: (line) => lines.push(line),
        print: () => {},
      },
    );
    expect(validateReportDir(dir)).toEqual([]);
    expect(result.settings).toMatchObject({ title: 'Switchyard peers', models: ['raw', 'reactor', 'hono-node'], scenarios: ['hello', 'json'] });
    for (const scenario of result.scenarios) {
      for (const name of ['raw', 'reactor', 'hono-node']) expect(scenario.models[name].status, `${scenario.name} ${name}`).toBe('ok');
    }
    expect(readFileSync(join(dir, 'results.md'), 'utf8')).toContain('## Throughput');
  }, 30_000);
});
