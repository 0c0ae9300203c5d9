import { describe, expect, it } from 'vitest';
import { Fifo } from '../src/fifo.js';

describe('Fifo', () => {
  it('gives items back in order across its compactions, with items put back in front', () => {
    const fifo = new Fifo<number>();
    const out: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      fifo.push(i);
      // Take two of every three: the queue grows and is compacted many times on the way.
      if (i % 3 !== 0) out.push(fifo.shift()!);
    }
    fifo.unshift([-2, -1]);
    expect(fifo.length).toBe(5_000 - out.length + 2);
    const rest = fifo.drain();
    expect(fifo.length).toBe(0);
    expect(fifo.shift()).toBeUndefined();
    expect(rest.slice(0, 2)).toEqual([-2, -1]);
    expect([...out, ...rest.slice(2)]).toEqual(Array.from({ length: 5_000 }, (_, i) => i));
  });

  it('takes from either end: the oldest with shift, the newest with pop, and says what each end holds', () => {
    const fifo = new Fifo<string>();
    expect([fifo.peek(), fifo.last(), fifo.pop(), fifo.shift()]).toEqual([undefined, undefined, undefined, undefined]);
    for (const item of ['a', 'b', 'c']) fifo.push(item);
    expect([fifo.peek(), fifo.last()]).toEqual(['a', 'c']);
    expect(fifo.pop()).toBe('c');
    expect(fifo.shift()).toBe('a');
    expect([fifo.peek(), fifo.last(), fifo.length]).toEqual(['b', 'b', 1]);
    expect(fifo.pop()).toBe('b');
    expect([fifo.length, fifo.peek(), fifo.last()]).toEqual([0, undefined, undefined]);
  });
});
