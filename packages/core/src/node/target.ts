import type { IncomingMessage } from 'node:http';

/**
 * A Host value the URL parser accepts: a registered name or IPv4 address
 * (RFC 3986 reg-name characters), or a bracketed IPv6 literal, with an
 * optional port. The URL parser then has the last word (ports past 65535,
 * malformed IPv4 and IPv6): a Host that passes gives a `request.url` that
 * parses, which is what every app assumes.
 */
const AUTHORITY = /^(?:[A-Za-z0-9\-._~!$&'()*+,;=]+|\[[0-9A-Fa-f:.]+\])(?::\d*)?$/;

/** Raw Host values seen, and their normalized form or null when invalid: most servers see a handful. */
const seen = new Map<string, string | null>();
const SEEN_LIMIT = 256;

function normalize(host: string): string | null {
  if (!AUTHORITY.test(host)) return null;
  try {
    return new URL(`http://${host}/`).host;
  } catch {
    return null;
  }
}

/** The Host header normalized (`Example.COM:80` is `example.com`), null when invalid or repeated, undefined when absent. */
function hostOf(req: IncomingMessage): string | null | undefined {
  const raw = req.rawHeaders;
  let host: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    if (name.length !== 4 || name.toLowerCase() !== 'host') continue;
    // RFC 9112, 3.2: more than one Host is a bad request.
    if (host !== undefined) return null;
    host = raw[i + 1]!;
  }
  if (host === undefined) return undefined;
  let normalized = seen.get(host);
  if (normalized === undefined) {
    normalized = normalize(host);
    if (seen.size >= SEEN_LIMIT) seen.clear();
    seen.set(host, normalized);
  }
  return normalized;
}

/** An absolute-form target (`GET http://host/path`), parsed; null when it is not one the app may see. */
function absoluteTarget(target: string): URL | null {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return null;
  }
  // Userinfo in a target is refused (RFC 9110, 4.2.4): it is how phishing hides the real host.
  if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) return null;
  return url;
}

function isAbsolute(target: string): boolean {
  return !target.startsWith('/') && /^[A-Za-z][A-Za-z0-9+.-]*:/.test(target);
}

/**
 * The request's absolute URL, or undefined when its target or Host cannot
 * give one the app may see: the server answers 400 before the app runs.
 * An absolute-form target's own authority wins over Host (RFC 9112, 3.2.2),
 * though a bad Host is refused either way; an HTTP/1.0 request without
 * Host is served as `localhost`.
 */
export function requestUrl(req: IncomingMessage): string | undefined {
  const target = req.url ?? '/';
  const host = hostOf(req);
  if (host === null) return undefined;
  if (isAbsolute(target)) return absoluteTarget(target)?.href;
  const authority = host ?? 'localhost';
  if (target.startsWith('/')) return `http://${authority}${target}`;
  // `*` (OPTIONS) and other odd origin-forms go through the URL parser.
  try {
    return new URL(target, `http://${authority}`).href;
  } catch {
    return undefined;
  }
}

/**
 * Whether the request has a URL the app may see: `requestUrl` without
 * building it, for the check every request passes before a backend sees
 * it (the common origin-form target with a known Host costs a header scan
 * and a cache lookup).
 */
export function hasValidTarget(req: IncomingMessage): boolean {
  const host = hostOf(req);
  if (host === null) return false;
  if ((req.url ?? '/').startsWith('/')) return true;
  return requestUrl(req) !== undefined;
}
