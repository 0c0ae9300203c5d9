/**
 * The Node flags a worker thread (a pool thread, a threads backend's thread)
 * starts with. A thread inherits the main thread's `process.execArgv`, but
 * not what NODE_OPTIONS preloaded: Node runs `--import` and `--require` from
 * NODE_OPTIONS on the main thread only, so `NODE_OPTIONS="--import tsx"`
 * would leave the threads unable to load a TypeScript app. Those preloads
 * are handed to each thread here.
 */
const PRELOADS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader']);

/** `process.execArgv` plus the preloads NODE_OPTIONS names that execArgv lacks. */
export function threadExecArgv(execArgv: readonly string[] = process.execArgv, nodeOptions = process.env.NODE_OPTIONS ?? ''): string[] {
  const flags = [...execArgv];
  const words = splitNodeOptions(nodeOptions);
  for (let i = 0; i < words.length; i++) {
    const word = words[i]!;
    const eq = word.indexOf('=');
    const name = eq === -1 ? word : word.slice(0, eq);
    if (!PRELOADS.has(name)) continue;
    const value = eq === -1 ? words[++i] : word.slice(eq + 1);
    if (value === undefined || hasPreload(flags, name, value)) continue;
    flags.push(name, value);
  }
  return flags;
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
