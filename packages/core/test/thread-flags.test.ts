import { describe, expect, it } from 'vitest';
import { flagGroups, splitNodeOptions, threadAccepts, threadExecArgv } from '../src/node/thread-flags.js';
import { tsxPreloaded } from '../src/tsx-in-thread.js';

describe('worker thread flags', () => {
  it('splits NODE_OPTIONS as Node does: spaces, double quotes, escapes inside quotes', () => {
    expect(splitNodeOptions('  --import tsx   --max-old-space-size=512 ')).toEqual(['--import', 'tsx', '--max-old-space-size=512']);
    expect(splitNodeOptions('--require "./my dir/pre.cjs" --title="a \\"b\\""')).toEqual(['--require', './my dir/pre.cjs', '--title=a "b"']);
    expect(splitNodeOptions('')).toEqual([]);
  });

  it("adds NODE_OPTIONS' preloads to the main thread's flags, once each, and nothing else", () => {
    const all = () => true;
    expect(threadExecArgv(['--enable-source-maps'], '--import tsx --max-old-space-size=512 -r dotenv/config', all)).toEqual([
      '--enable-source-maps',
      '--import',
      'tsx',
      '-r',
      'dotenv/config',
    ]);
    expect(threadExecArgv(['--conditions', 'dev'], '--import tsx --import=tsx', all)).toEqual(['--conditions', 'dev', '--import', 'tsx']);
  });

  it("lets threads inherit the main thread's flags, whatever they are, when there is no preload to add", () => {
    const none = () => false;
    expect(threadExecArgv(['--import', 'tsx'], '--import=tsx', none)).toBeUndefined();
    expect(threadExecArgv(['--import=tsx'], '--import tsx', none)).toBeUndefined();
    expect(threadExecArgv(['--max-old-space-size=4096', '--expose-gc'], '--max-old-space-size=512', none)).toBeUndefined();
    expect(threadExecArgv([], '', none)).toBeUndefined();
  });

  it('keeps, beside a preload, only the flags Node lets a thread start with', () => {
    const flags = ['--max-old-space-size=4096', '--expose-gc', '--enable-source-maps', '--stack-size=2000', '--conditions', 'development'];
    expect(flagGroups(flags)).toEqual([
      ['--max-old-space-size=4096'],
      ['--expose-gc'],
      ['--enable-source-maps'],
      ['--stack-size=2000'],
      ['--conditions', 'development'],
    ]);
    // Asked of Node itself: V8 and process-wide flags are refused for a thread.
    expect(threadExecArgv(flags, '--require ./pre.cjs')).toEqual(['--enable-source-maps', '--conditions', 'development', '--require', './pre.cjs']);
    expect(threadAccepts(['--expose-gc'])).toBe(false);
    expect(threadAccepts(['--enable-source-maps'])).toBe(true);
  });

  it('tells a tsx preload from others', () => {
    expect(tsxPreloaded(['--import', 'tsx'])).toBe(true);
    expect(tsxPreloaded(['--import=tsx/esm'])).toBe(true);
    expect(tsxPreloaded(['--import', './tsx-like.mjs', '--loader', 'ts-node/esm'])).toBe(false);
  });
});
