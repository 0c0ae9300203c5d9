/**
 * The suite's scenarios against the built demo and the raw reference: both
 * must answer every scenario correctly, or the bench would not time them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer, serverSpec, startModel } from '@switchyard/bench';
import { DEMO_APP, RAW_HANDLER } from '../src/matrix/paths.mjs';
import { overloadContenders } from '../src/matrix/cli.mjs';
import { demoScenarios } from '../src/matrix/scenarios.mjs';
import { prepareServices } from '../src/matrix/services.mjs';

let services;
let scenarios;
const servers = {};

beforeAll(async () => {
  services = await prepareServices();
  scenarios = demoScenarios(services.facts, { idleConnections: 10 });
  for (const model of ['raw', 'reactor']) {
    const spec = serverSpec(model, { app: DEMO_APP, rawHandler: RAW_HANDLER, sequential: { backlog: 128, keepAlive: false } });
    servers[model] = await startModel(spec, services.env);
  }
}, 30_000);

afterAll(async () => {
  await Promise.all(Object.values(servers).map((server) => server.stop()));
  services?.close();
});

describe('the isolation grid', () => {
  it('has a cell per kind of work, cost and connection count, each loading /cpu beside an open-loop /hello probe', () => {
    const cells = scenarios.filter((s) => s.isolation);
    expect(cells).toHaveLength(2 * 4 * 2);
    for (const cell of cells) {
      const { work, costMs } = cell.isolation;
      expect(cell.name).toBe(`isolation-${work}-${costMs}ms-c${cell.connections}`);
      expect(cell.request.path).toBe(`/cpu?ms=${costMs}&kind=${work}`);
      expect(cell.models).toEqual(['reactor', 'pool', 'cluster']);
      expect(cell.probe).toEqual({ request: { path: '/hello' }, everyMs: 10, openLoop: true });
      expect(cell).toMatchObject({ drain: true, timeout: 60, expect: { json: { ms: costMs, kind: work } } });
    }
  });
});

describe('the overload scenario', () => {
  it("floods /cpu with 2,000 connections beside an open-loop probe of the runner's readiness on its metrics port", () => {
    const overload = scenarios.find((s) => s.name === 'overload');
    expect(overload).toMatchObject({ connections: 2000, drain: true, request: { path: '/cpu?ms=20&kind=js' } });
    expect(overload.models).toEqual(['reactor', 'pool', 'cluster', 'reactor-limited', 'pool-limited', 'cluster-limited']);
    expect(overload.probe).toEqual({ request: { path: '/readyz' }, everyMs: 100, openLoop: true, on: 'metrics' });
  });

  it("adds the -limited contenders of the run's models, and keeps every other scenario to those models", () => {
    const chosen = demoScenarios(services.facts, { idleConnections: 10 }).filter((s) => ['hello', 'overload'].includes(s.name));
    const contenders = overloadContenders(chosen, ['raw', 'reactor', 'pool']);
    expect(Object.keys(contenders)).toEqual(['reactor-limited', 'pool-limited']);
    expect(contenders['reactor-limited']).toMatchObject({ model: 'reactor', serve: { limits: { maxEventLoopDelay: 50 } } });
    expect(chosen.find((s) => s.name === 'overload').models).toEqual(['reactor', 'pool', 'reactor-limited', 'pool-limited']);
    expect(chosen.find((s) => s.name === 'hello').models).toEqual(['raw', 'reactor', 'pool']);
    expect(
      overloadContenders(
        chosen.filter((s) => s.name === 'hello'),
        ['raw'],
      ),
    ).toBeUndefined();
  });
});

describe.each(['raw', 'reactor'])('%s', (model) => {
  it('answers a /cpu kind it does not know with a 400', async () => {
    const response = await fetch(`${servers[model].url}/cpu?ms=1&kind=gpu`);
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('kind must be one of hash, js, native');
  });

  it('answers every scenario as the bench expects', async () => {
    for (const scenario of scenarios) {
      expect(await checkAnswer(servers[model].url, scenario.request, scenario.expect), scenario.name).toEqual([]);
      if (scenario.kind === 'idle') {
        expect(await checkAnswer(servers[model].url, scenario.idle.request, scenario.idle.expect), 'idle route').toEqual([]);
      }
    }
  });
});
