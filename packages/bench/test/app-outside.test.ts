/**
 * `switchyard bench` on an app outside the repository: the app sits in a
 * temporary folder with no node_modules, the command runs from there, and
 * the bench and the backends are still found (beside core and the bench).
 * One route answers 404: it is reported, the others still measured.
 */
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { APP, switchyard, type CliResult } from './helpers.js';

let dir: string;
let run: CliResult;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'switchyard-outside-'));
  copyFileSync(APP, join(dir, 'app.mjs'));
  run = await switchyard(
    ['bench', join(dir, 'app.mjs'), '--route', '/hello', '--route', '/nope', '--models', 'reactor,pool', '--quick', '--connections', '4'],
    dir,
  );
}, 90_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('measures the app under each model from a folder outside the repository', () => {
  expect(run.stderr).not.toContain('not installed');
  for (const model of ['reactor', 'pool']) expect(run.stdout).toMatch(new RegExp(`\\| ${model} +\\| +[\\d,]+ +\\|`));
  expect(run.stdout).toMatch(/^recommendation: (reactor|pool): /m);
});

it('reports a route that fails its check, and exits 1', () => {
  expect(run.code).toBe(1);
  expect(run.stdout).toMatch(/^warning: GET \/nope could not be measured: status 404, expected 200/m);
});
