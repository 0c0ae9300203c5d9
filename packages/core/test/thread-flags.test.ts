import { describe, expect, it } from 'vitest';
import { splitNodeOptions, threadExecArgv } from '../src/node/thread-flags.js';
import { tsxPreloaded } from '../src/tsx-in-thread.js';

describe('worker thread flags', () => {
  it('splits NODE_OPTIONS as Node does: spaces, double quotes, escapes inside quotes', () => {
    expect(splitNodeOptions('  --import tsx   --max-old-space-size=512 ')).toEqual(['--import', 'tsx', '--max-old-space-size=512']);
    expect(splitNodeOptions('--require "./my dir/pre.cjs" --title="a \\"b\\""')).toEqual(['--require', './my dir/pre.cjs', '--title=a "b"']);
    expect(splitNodeOptions('')).toEqual([]);
  });

  it("adds NODE_OPTIONS' preloads to the main thread's flags, once each, and nothing else", () => {
    expect(threadExecArgv(['--enable-source-maps'], '--import tsx --max-old-space-size=512 -r dotenv/config')).toEqual([
      '--enable-source-maps',
      '--import',
      'tsx',
      '-r',
      'dotenv/config',
    ]);
    expect(threadExecArgv(['--import', 'tsx'], '--import=tsx')).toEqual(['--import', 'tsx']);
    expect(threadExecArgv(['--import=tsx'], '--import tsx')).toEqual(['--import=tsx']);
    expect(threadExecArgv([], '')).toEqual([]);
  });

  it('tells a tsx preload from others', () => {
    expect(tsxPreloaded(['--import', 'tsx'])).toBe(true);
    expect(tsxPreloaded(['--import=tsx/esm'])).toBe(true);
    expect(tsxPreloaded(['--import', './tsx-like.mjs', '--loader', 'ts-node/esm'])).toBe(false);
  });
});
