import { describe, expect, it } from 'vitest';
import { ChannelHub } from '@switchyard/core';

describe('ChannelHub', () => {
  it('delivers to every subscriber, asynchronously', async () => {
    const hub = new ChannelHub();
    const got: string[] = [];
    hub.channel<string>('news').subscribe((m) => got.push(`a:${m}`));
    hub.channel<string>('news').subscribe((m) => got.push(`b:${m}`));
    hub.channel('news').publish('hi');
    expect(got).toEqual([]);
    await Promise.resolve();
    expect(got).toEqual(['a:hi', 'b:hi']);
  });

  it('keeps channels apart and stops after unsubscribe', async () => {
    const hub = new ChannelHub();
    const got: unknown[] = [];
    const off = hub.channel('one').subscribe((m) => got.push(m));
    hub.channel('two').publish('other');
    hub.channel('one').publish(1);
    await Promise.resolve();
    off();
    hub.channel('one').publish(2);
    await Promise.resolve();
    expect(got).toEqual([1]);
  });

  it('sends published messages through the transport, and delivers what arrives', async () => {
    const sent: Array<[string, unknown]> = [];
    const hub = new ChannelHub((name, message) => sent.push([name, message]));
    const got: unknown[] = [];
    hub.channel('room').subscribe((m) => got.push(m));
    hub.channel('room').publish({ from: 'here' });
    hub.deliver('room', { from: 'elsewhere' });
    await Promise.resolve();
    expect(sent).toEqual([['room', { from: 'here' }]]);
    expect(got).toEqual([{ from: 'here' }, { from: 'elsewhere' }]);
  });

  it('rejects an empty channel name', () => {
    expect(() => new ChannelHub().channel('')).toThrow(TypeError);
  });
});
