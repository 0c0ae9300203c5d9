import { invalidOption } from '@switchyard/core';
import type { GeneratorName } from '../types.js';
import { autocannonGenerator } from './autocannon.js';
import type { Generator } from './types.js';
import { which } from './which.js';
import { wrkGenerator } from './wrk.js';

/**
 * The generator named. Asking for wrk where it is not installed is an
 * error, never a silent switch: figures from different generators do not
 * compare.
 */
export function createGenerator(name: GeneratorName): Generator {
  if (name === 'autocannon') return autocannonGenerator();
  if (name === 'wrk') {
    const path = which('wrk');
    if (!path) throw invalidOption('generator', '"autocannon", or "wrk" once wrk is installed (it is not on PATH)', name);
    return wrkGenerator(path);
  }
  throw invalidOption('generator', 'one of "autocannon", "wrk"', name);
}

export type { Generator, LoadCounts, LoadSettings } from './types.js';
export { which } from './which.js';
export { parseWrk } from './wrk.js';
export { findAb, parseAb, type Ab } from './ab.js';
