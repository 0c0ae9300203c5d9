/**
 * The signal of this context's `setup`: it aborts as soon as the server
 * begins to close, and every open event stream ends with it, so a shutdown
 * does not wait out the grace period for pages left open.
 */
let setupSignal: AbortSignal | undefined;

export function rememberShutdownSignal(signal: AbortSignal): void {
  setupSignal = signal;
}

export function shutdownSignal(): AbortSignal | undefined {
  return setupSignal;
}
