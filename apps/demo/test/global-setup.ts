import { installPackages, missingPackages } from './support/system-packages.js';

/** Before any test file runs: the browser and nginx the tests drive, installed once. */
export default function setup(): void {
  const missing = missingPackages();
  if (missing.length > 0) installPackages(missing);
}
