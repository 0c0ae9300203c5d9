/**
 * An access record as the serving thread writes it to the log thread: a
 * mark, then fields separated by NUL, one per line. Neither NUL nor a line
 * break can occur in a request target or header value Node accepted, and
 * the request id is checked to be visible ASCII. Building this costs the
 * serving thread a template string; pino's JSON is built on the log thread.
 */
export const RECORD_MARK = 1;
const MARK = String.fromCharCode(RECORD_MARK);
const SEP = '\u0000';

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

export function formatAccessRecord(time: number, f: AccessFields): string {
  const base = `${MARK}${time}${SEP}${f.method}${SEP}${f.path}${SEP}${f.status}${SEP}${f.bytes ?? ''}${SEP}${f.durationMs}${SEP}${f.worker}${SEP}${f.requestId}`;
  return f.remoteAddress === undefined && f.userAgent === undefined ? `${base}\n` : `${base}${SEP}${f.remoteAddress ?? ''}${SEP}${f.userAgent ?? ''}\n`;
}

export function parseAccessRecord(line: string): { time: number; fields: AccessFields } {
  const [time, method, path, status, bytes, durationMs, worker, requestId, remoteAddress, userAgent] = line.slice(1).split(SEP);
  const fields: AccessFields = {
    method: method!,
    path: path!,
    status: Number(status),
    bytes: bytes === '' ? null : Number(bytes),
    durationMs: Number(durationMs),
    worker: Number(worker),
    requestId: requestId!,
  };
  if (remoteAddress !== undefined) {
    if (remoteAddress) fields.remoteAddress = remoteAddress;
    if (userAgent) fields.userAgent = userAgent;
  }
  return { time: Number(time), fields };
}
