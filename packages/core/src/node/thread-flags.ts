import { Worker } from 'node:worker_threads';

/**
 * The Node flags a worker thread (a pool thread, a threads backend's thread)
 * starts with. A thread inherits the main thread's `process.execArgv`, but
 * not what NODE_OPTIONS preloaded: Node runs `--import` and `--require` from
 * NODE_OPTIONS on the main thread only, so `NODE_OPTIONS="--import tsx"`
 * would leave the threads unable to load a TypeScript app. Those preloads
 * are handed to each thread here.
 *
 * Only then is a list given at all. Given one, Node refuses to start the
 * thread if it holds a V8 or process-wide flag (`--max-old-space-size`,
 * `--expose-gc`, `--stack-size`, `--title`: the thread shares them with the
 * process anyway), where an inherited list may hold anything. So with no
 * preload to add the thread inherits, and with one the list keeps only the
 * flags a thread accepts.
 */
const PRELOADS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/**
 * The flags to start threads with: `undefined` (inherit the main thread's)
 * when NODE_OPTIONS names no preload that `execArgv` lacks, else the flags
 * of `execArgv` that `accepts` passes, then those preloads.
 */
export function threadExecArgv(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions = process.env.NODE_OPTIONS ?? '',
  accepts: (flag: readonly string[]) => boolean = threadAccepts,
): string[] | undefined {
  const preloads: string[] = [];
  const words = splitNodeOptions(nodeOptions);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    if (!PRELOADS.has(name)) continue;
    const value = eq === -1 ? words[++i] : word.slice(eq + 1);
    if (value === undefined || hasPreload(execArgv, name, value) || hasPreload(preloads, name, value)) continue;
    preloads.push(name, value);
  }
  if (preloads.length === 0) return undefined;
  return [...flagGroups(execArgv).filter(accepts).flat(), ...preloads];
}

/** `execArgv` as flags, each with the value that follows it as a word of its own (`--import tsx`). */
export function flagGroups(execArgv: readonly string[]): string[][] {
  const groups: string[][] = [];
  for (const word of execArgv) {
    if (!word.startsWith('-') && groups.length > 0) groups.at(-1)!.push(word);
    else groups.push([word]);
  }
  return groups;
}

const accepted = new Map<string, boolean>();

/**
 * Whether Node starts a thread given `flag`: asked of Node itself, once per
 * flag and process, since which flags are V8's or process-wide is Node's to
 * say. A thread it starts is stopped at once.
 */
export function threadAccepts(flag: readonly string[]): boolean {
  const key = flag.join('\0');
  let answer = accepted.get(key);
  if (answer === undefined) {
    try {
      const probe = new Worker('', { eval: true, execArgv: [...flag], stdout: true, stderr: true });
      probe.unref();
      void probe.terminate();
      answer = true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ERR_WORKER_INVALID_EXEC_ARGV') throw error;
      answer = false;
    }
    accepted.set(key, answer);
  }
  return answer;
}

function hasPreload(flags: readonly string[], name: string, value: string): boolean {
  return flags.some((flag, i) => flag === `${name}=${value}` || (flag === name && flags[i + 1] === value));
}

/** NODE_OPTIONS words, as Node splits them: on spaces, with double quotes grouping and backslash escaping inside them. */
export function splitNodeOptions(value: string): string[] {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const char = value[i]!;
    if (quoted && char === '\\' && i + 1 < value.length) {
      word += value[++i];
    } else if (char === '"') {
      quoted = !quoted;
      inWord = true;
    } else if (char === ' ' && !quoted) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
    } else {
      word += char;
      inWord = true;
    }
  }
  if (inWord) words.push(word);
  return words;
}
