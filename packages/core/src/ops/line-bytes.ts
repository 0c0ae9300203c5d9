/**
 * An access line written straight into a batch's bytes: the same bytes as
 * `accessLine` (record.ts) encoded as UTF-8, with no string made on the way.
 * Building the line as a string, then joining and encoding the batch, cost
 * about 1 µs a line on Node 20, and the strings kept until the hand-over
 * cost the collector more; this costs about 0.35 µs a line at 60 lines a
 * millisecond (a micro-benchmark; the core README has the server's
 * figures). It covers the common line: every string field
 * printable ASCII needing no escape, every number a plain integer. For any
 * other line it returns -1 and writes nothing the caller keeps, and the
 * caller encodes `accessLine`'s string instead.
 */

const bytes = (text: string) => Uint8Array.from(text, (char) => char.charCodeAt(0));
const LEVEL_TIME = bytes('{"level":30,"time":');
const PID = bytes(',"pid":');
const METHOD = bytes(',"method":"');
const PATH = bytes('","path":"');
const STATUS = bytes('","status":');
const BYTES = bytes(',"bytes":');
const NULL = bytes('null');
const DURATION = bytes(',"durationMs":');
const WORKER = bytes(',"worker":');
const REQUEST_ID = bytes(',"requestId":"');
const REMOTE_ADDRESS = bytes('","remoteAddress":"');
const USER_AGENT = bytes('","userAgent":"');
const END = bytes('","msg":"request"}\n');

/** Room for the constant text and the numbers (each at most 16 digits), beyond the strings' own lengths. */
const FIXED_ROOM = 320;

/** At most the bytes `encodeAccessLine` writes for a line with these strings. */
export function lineRoom(method: string, path: string, requestId: string, remoteAddress?: string, userAgent?: string): number {
  return FIXED_ROOM + method.length + path.length + requestId.length + (remoteAddress?.length ?? 0) + (userAgent?.length ?? 0);
}

function put(out: Uint8Array, at: number, text: Uint8Array): number {
  for (let i = 0; i < text.length; i++) out[at + i] = text[i]!;
  return at + text.length;
}

/** `text` as it stands inside JSON quotes, if it is printable ASCII needing no escape; else -1. */
function plain(out: Uint8Array, at: number, text: string): number {
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x20 || code > 0x7e || code === 0x22 || code === 0x5c) return -1;
    out[at + i] = code;
  }
  return at + text.length;
}

/** A non-negative safe integer's decimal digits, as `String` writes them; else -1. */
function digits(out: Uint8Array, at: number, value: number): number {
  if (value >= 0 && value <= 0x7fffffff && (value | 0) === value) return smallDigits(out, at, value, 0);
  if (!(value >= 0 && value <= Number.MAX_SAFE_INTEGER) || Math.floor(value) !== value) return -1;
  // A time in ms and the like: the part above a billion, then nine digits, each part in 32-bit integer steps.
  const high = Math.floor(value / 1e9);
  return smallDigits(out, smallDigits(out, at, high, 0), value - high * 1e9, 9);
}

/** `value` (0 to 2^31 - 1) in decimal, padded with zeros to `width`. */
function smallDigits(out: Uint8Array, at: number, value: number, width: number): number {
  let length = 1;
  for (let rest = value; rest >= 10; rest = (rest / 10) | 0) length++;
  if (length < width) length = width;
  let rest = value;
  for (let i = at + length - 1; i >= at; i--) {
    const tenth = (rest / 10) | 0;
    out[i] = 48 + rest - tenth * 10;
    rest = tenth;
  }
  return at + length;
}

/** A duration in thousandths of a ms as `String` writes it ('0.5', '12.125'); else -1. */
function thousandths(out: Uint8Array, at: number, ms: number): number {
  const scaled = Math.round(ms * 1000);
  if (!(scaled >= 0 && scaled <= 0x3fffffff) || scaled / 1000 !== ms) return -1;
  const whole = Math.floor(scaled / 1000);
  let end = digits(out, at, whole);
  let fraction = scaled - whole * 1000;
  for (let unit = 100; fraction !== 0; unit /= 10) {
    if (unit === 100) out[end++] = 0x2e;
    const digit = Math.floor(fraction / unit);
    out[end++] = 48 + digit;
    fraction -= digit * unit;
  }
  return end;
}

/**
 * The line's opening up to the method's value (`{"level":30,"time":…,
 * "pid":…,"method":"`), kept while the millisecond lasts: a busy server
 * writes many lines in one, and the time's digits cost more than a copy.
 */
const opening = { time: Number.NaN, pid: Number.NaN, bytes: new Uint8Array(FIXED_ROOM), view: new Uint8Array(0) };

/** Writes the opening for `time` and `pid` and keeps it; false when either needs the string path. */
function keepOpening(time: number, pid: number): boolean {
  const out = opening.bytes;
  // Whatever is kept is overwritten from here: it is valid again only once whole.
  opening.time = Number.NaN;
  let end = digits(out, put(out, 0, LEVEL_TIME), time);
  if (end < 0) return false;
  end = digits(out, put(out, end, PID), pid);
  if (end < 0) return false;
  opening.view = out.subarray(0, put(out, end, METHOD));
  opening.time = time;
  opening.pid = pid;
  return true;
}

/**
 * The line's bytes from the method's value up to the duration's
 * (`GET","path":"/hello","status":200,"bytes":5,"durationMs":`), kept once
 * two lines in a row share them: a busy route sends the same answer many
 * times in a row, and one copy costs less than writing its bytes one by one
 * (the path is compared, not written). Lines whose routes all differ (ids in
 * paths) only note the last one's, with no copy. Paths longer than
 * ROUTE_ROOM are not kept.
 */
const ROUTE_ROOM = 512;
const route = {
  method: '',
  path: '',
  status: Number.NaN,
  bytesSent: Number.NaN as number | null,
  /** Whether `view` holds the bytes of the route above. */
  kept: false,
  bytes: new Uint8Array(ROUTE_ROOM + FIXED_ROOM),
  view: new Uint8Array(0),
};

/** Notes the last line's route, its bytes not kept. */
function noteRoute(method: string, path: string, status: number, bytesSent: number | null): void {
  route.method = method;
  route.path = path;
  route.status = status;
  route.bytesSent = bytesSent;
  route.kept = false;
}

/** Keeps the bytes of the route noted, now written a second time in a row. */
function keepRoute(written: Uint8Array): void {
  if (route.path.length > ROUTE_ROOM || written.length > route.bytes.length) return;
  route.bytes.set(written);
  route.view = route.bytes.subarray(0, written.length);
  route.kept = true;
}

/** `,"worker":N,"requestId":"` for the last worker number: one serving thread writes the same one every time. */
const workerPart = { worker: Number.NaN, bytes: new Uint8Array(FIXED_ROOM), view: new Uint8Array(0) };

/** Writes the worker part for `worker` and keeps it; false when the number needs the string path. */
function keepWorkerPart(worker: number): boolean {
  const out = workerPart.bytes;
  workerPart.worker = Number.NaN;
  const end = digits(out, put(out, 0, WORKER), worker);
  if (end < 0) return false;
  workerPart.view = out.subarray(0, put(out, end, REQUEST_ID));
  workerPart.worker = worker;
  return true;
}

/**
 * Writes one access line into `out` from `at`, which must have
 * `lineRoom(...)` bytes free; returns where it ends, or -1 when this line
 * needs the string path. `remoteAddress` and `userAgent` are written when
 * given (pino's `debug`).
 */
export function encodeAccessLine(
  out: Uint8Array,
  at: number,
  time: number,
  pid: number,
  method: string,
  path: string,
  status: number,
  bytesSent: number | null,
  durationMs: number,
  worker: number,
  requestId: string,
  remoteAddress?: string,
  userAgent?: string,
): number {
  if ((time !== opening.time || pid !== opening.pid) && !keepOpening(time, pid)) return -1;
  out.set(opening.view, at);
  let end = at + opening.view.length;
  const sameRoute = method === route.method && status === route.status && bytesSent === route.bytesSent && path === route.path;
  if (sameRoute && route.kept) {
    out.set(route.view, end);
    end += route.view.length;
  } else {
    const from = end;
    end = plain(out, from, method);
    if (end < 0) return -1;
    end = plain(out, put(out, end, PATH), path);
    if (end < 0) return -1;
    end = digits(out, put(out, end, STATUS), status);
    if (end < 0) return -1;
    end = put(out, end, BYTES);
    end = bytesSent === null ? put(out, end, NULL) : digits(out, end, bytesSent);
    if (end < 0) return -1;
    end = put(out, end, DURATION);
    if (sameRoute) keepRoute(out.subarray(from, end));
    else noteRoute(method, path, status, bytesSent);
  }
  end = thousandths(out, end, durationMs);
  if (end < 0) return -1;
  if (worker !== workerPart.worker && !keepWorkerPart(worker)) return -1;
  out.set(workerPart.view, end);
  end = plain(out, end + workerPart.view.length, requestId);
  if (end < 0) return -1;
  if (remoteAddress !== undefined) {
    end = plain(out, put(out, end, REMOTE_ADDRESS), remoteAddress);
    if (end < 0) return -1;
  }
  if (userAgent !== undefined) {
    end = plain(out, put(out, end, USER_AGENT), userAgent);
    if (end < 0) return -1;
  }
  return put(out, end, END);
}
