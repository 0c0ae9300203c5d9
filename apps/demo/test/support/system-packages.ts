import { existsSync } from 'node:fs';
import { which } from '../../../../test-support/apt.mjs';

export { installPackages, which } from '../../../../test-support/apt.mjs';

/** Debian's chromium; CHROMIUM_PATH points elsewhere when a machine has it somewhere else. */
export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** What the demo's tests need from the system that npm cannot install: Debian package names. */
export function missingPackages(): string[] {
  const missing: string[] = [];
  if (!existsSync(chromiumPath)) missing.push('chromium');
  if (!which('nginx')) missing.push('nginx');
  return missing;
}
