/** Result folders: found by path, by name under bench/results, or the newest. */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { RESULTS, userPath } from './paths.mjs';

/** A folder the user named: a path (from where they ran pnpm), or a folder name under bench/results. */
export function resultFolder(name) {
  const direct = userPath(name);
  if (existsSync(direct)) return direct;
  const named = join(RESULTS, name);
  if (existsSync(named)) return named;
  throw new TypeError(`no result folder ${JSON.stringify(name)} (looked at ${direct} and ${named})`);
}

/** The newest run's folder under bench/results (timestamped names only, so reference/ is never picked). */
export function newestResultFolder() {
  const runs = existsSync(RESULTS)
    ? readdirSync(RESULTS)
        .filter((name) => /^\d{4}-\d\d-\d\dT/.test(name) && statSync(join(RESULTS, name)).isDirectory())
        .sort()
    : [];
  if (!runs.length) throw new TypeError(`no results under ${RESULTS} yet: run \`npx -y pnpm@10.34.8 bench\` first, or name a folder`);
  return join(RESULTS, runs.at(-1));
}
