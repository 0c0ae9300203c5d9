import type { IncomingMessage } from 'node:http';

const KEY = /^[+/0-9A-Za-z]{22}==$/;

/** Whether `req` is a WebSocket opening handshake (RFC 6455, 4.2.1) that `ws` will complete. */
export function isWebSocketHandshake(req: IncomingMessage): boolean {
  const { headers } = req;
  return (
    req.method === 'GET' &&
    headers.upgrade?.toLowerCase() === 'websocket' &&
    headers['sec-websocket-version'] === '13' &&
    typeof headers['sec-websocket-key'] === 'string' &&
    KEY.test(headers['sec-websocket-key'].trim())
  );
}

/** `ctx.upgrade`'s `headers` option as `Name: value` lines for the 101 response; throws on a shape it cannot read. */
export function upgradeHeaderLines(headers: unknown): string[] | undefined {
  if (headers === undefined || headers === null) return undefined;
  const lines: string[] = [];
  const add = (name: unknown, value: unknown) => {
    if (typeof name !== 'string' || /[\r\n:]/.test(name) || /[\r\n]/.test(String(value)))
      throw new TypeError(`upgrade(): header ${String(name)} cannot be sent`);
    lines.push(`${name}: ${String(value)}`);
  };
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers))
    (headers as Headers).forEach((value, name) => {
      add(name, value);
    });
  else if (Array.isArray(headers)) for (const pair of headers) add(pair?.[0], pair?.[1]);
  else if (typeof headers === 'object') for (const [name, value] of Object.entries(headers)) add(name, value);
  else throw new TypeError('upgrade(): headers must be a Headers, an object or an array of [name, value] pairs');
  return lines;
}
