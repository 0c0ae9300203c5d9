/**
 * An access line as pino writes one (`level`, `time`, `pid`, the fields,
 * `msg`), built by a template on the serving thread: the log thread then
 * only moves whole lines to stdout, with no parsing or serialising per
 * line there. Strings are quoted as they are unless they hold a character
 * JSON must escape, which a request target, id or header value Node
 * accepted rarely does.
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
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what JSON must escape.
const NEEDS_ESCAPE = /["\\\u0000-\u001f]/;

function quoted(text: string): string {
  return NEEDS_ESCAPE.test(text) ? JSON.stringify(text) : `"${text}"`;
}

export function formatAccessLine(time: number, pid: number, f: AccessFields): string {
  const head = `{"level":${INFO},"time":${time},"pid":${pid},"method":${quoted(f.method)},"path":${quoted(f.path)},"status":${f.status},"bytes":${f.bytes ?? 'null'},"durationMs":${f.durationMs},"worker":${f.worker},"requestId":${quoted(f.requestId)}`;
  const detail =
    f.remoteAddress === undefined && f.userAgent === undefined
      ? ''
      : `${f.remoteAddress === undefined ? '' : `,"remoteAddress":${quoted(f.remoteAddress)}`}${f.userAgent === undefined ? '' : `,"userAgent":${quoted(f.userAgent)}`}`;
  return `${head}${detail},"msg":"request"}\n`;
}
