/**
 * The suite's scenarios against the built demo and the raw reference: both
 * must answer every scenario correctly, or the bench would not time them.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkAnswer, serverSpec, startModel } from '@switchyard/bench';
import { DEMO_APP, RAW_HANDLER } from '../src/matrix/paths.mjs';
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

describe.each(['raw', 'reactor'])('%s', (model) => {
  it('answers every scenario as the bench expects', async () => {
    for (const scenario of scenarios) {
      expect(await checkAnswer(servers[model].url, scenario.request, scenario.expect), scenario.name).toEqual([]);
      if (scenario.kind === 'idle') {
        expect(await checkAnswer(servers[model].url, scenario.idle.request, scenario.idle.expect), 'idle route').toEqual([]);
      }
    }
  });
});
