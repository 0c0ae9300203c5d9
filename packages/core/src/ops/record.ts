/**
 * An access line as pino writes one (`level`, `time`, `pid`, the fields,
 * `msg`), built on the serving thread: the log thread then only moves
 * whole lines to stdout, with no parsing or serialising per line there.
 * This is the line as a string, by a template: the form line-bytes.ts
 * writes straight into bytes, and the one used for the lines it does not
 * cover. Strings are quoted as they are unless they hold a character JSON
 * must escape, which a request target, id or header value Node accepted
 * rarely does.
 */

export interface AccessFields {
  method: string;
  path: string;
  status: number;
  bytes: number | null;
  durationMs: number;
  worker: number;
  requestId: string;
  remoteAddress?: string;
  userAgent?: string;
}

/** pino's number for `info`. */
const INFO = 30;

/**
 * `text` as a JSON string. A scan of char codes, not a RegExp: for the
 * short strings of a line (method, path, id) the RegExp's call cost more
 * than the scan (a perf profile of the reactor's hello with logs on).
 */
function quoted(text: string): string {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code === 0x22 || code === 0x5c) return JSON.stringify(text);
  }
  return `"${text}"`;
}

/** The part after the point of each thousandth, as `Number#toString` writes it: '', '.5', '.05', '.125'. */
const THOUSANDTHS = Array.from({ length: 1000 }, (_, i) => (i === 0 ? '' : String(i / 1000).slice(1)));

/**
 * `value` as `String(value)` writes it. A duration rounded to thousandths
 * (every one a line carries) is written from integers and a table: turning
 * the double itself into text runs the shortest-digits algorithm, several
 * times the cost.
 */
export function thousandths(value: number): string {
  const scaled = Math.round(value * 1000);
  if (scaled < 0 || scaled > 0x3fffffff || scaled / 1000 !== value) return String(value);
  return `${(scaled / 1000) | 0}${THOUSANDTHS[scaled % 1000]}`;
}

/**
 * The line for one request, from its parts (no fields object on the hot
 * path). `detail` is what `debug` adds (`,"remoteAddress":…,"userAgent":…`),
 * or ''.
 */
export function accessLine(
  time: number,
  pid: number,
  method: string,
  path: string,
  status: number,
  bytes: number | null,
  durationMs: number,
  worker: number,
  requestId: string,
  detail: string,
): string {
  return `{"level":${INFO},"time":${time},"pid":${pid},"method":${quoted(method)},"path":${quoted(path)},"status":${status},"bytes":${bytes ?? 'null'},"durationMs":${thousandths(durationMs)},"worker":${worker},"requestId":${quoted(requestId)}${detail},"msg":"request"}\n`;
}

/** What `debug` adds to a line: the client's address and user agent. */
export function accessDetail(remoteAddress: string | undefined, userAgent: string | undefined): string {
  return `${remoteAddress === undefined ? '' : `,"remoteAddress":${quoted(remoteAddress)}`}${userAgent === undefined ? '' : `,"userAgent":${quoted(userAgent)}`}`;
}
