/** `switchyard serve` of an app whose setup waits, sent `signal` (SIGTERM unless told) while that setup runs. */
export function signalWhileStarting(options: {
  cwd: string;
  args: string[];
  signal?: NodeJS.Signals;
  /** Send SIGTERM once the output matches this, for a signal that does not stop the server. */
  stopOnceOutput?: RegExp;
}): Promise<{ code: number | null; signal: NodeJS.Signals | null; output: string }>;
