/** Stable codes a caller can branch on. */
export type SwitchyardErrorCode =
  | 'ERR_INVALID_OPTION'
  | 'ERR_BACKEND_NOT_INSTALLED'
  | 'ERR_PACKAGE_NOT_INSTALLED'
  | 'ERR_APP_NOT_FOUND'
  | 'ERR_APP_INVALID'
  | 'ERR_APP_TYPESCRIPT'
  | 'ERR_APP_COMMONJS'
  | 'ERR_PORT_IN_USE'
  | 'ERR_LISTEN'
  | 'ERR_BODY_TOO_LARGE'
  | 'ERR_CRASH_LOOP'
  | 'ERR_RELOAD_FAILED'
  | 'ERR_CHANNEL_CONNECT'
  | 'ERR_REUSEPORT_UNSUPPORTED';

export class SwitchyardError extends Error {
  override readonly name = 'SwitchyardError';
  readonly code: SwitchyardErrorCode;

  constructor(code: SwitchyardErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value == null) return String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return `an object`;
}

export function invalidOption(name: string, accepted: string, got: unknown): SwitchyardError {
  return new SwitchyardError('ERR_INVALID_OPTION', `Invalid option "${name}": expected ${accepted}, got ${show(got)}.`);
}

export function backendNotInstalled(backend: string, cause?: unknown): SwitchyardError {
  const pkg = `@switchyard/${backend}`;
  return new SwitchyardError(
    'ERR_BACKEND_NOT_INSTALLED',
    `The "${backend}" backend needs the ${pkg} package, which is not installed. Install it with: npm install ${pkg}`,
    { cause },
  );
}

/** An optional package a command needs (e.g. `@switchyard/bench` for `switchyard bench`). */
export function packageNotInstalled(pkg: string, neededBy: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError('ERR_PACKAGE_NOT_INSTALLED', `${neededBy} needs the ${pkg} package, which is not installed. Install it with: npm install ${pkg}`, {
    cause,
  });
}

export function appNotFound(spec: string, path: string, cause?: unknown): SwitchyardError {
  return new SwitchyardError(
    'ERR_APP_NOT_FOUND',
    `Invalid option "app": no module at ${path} (from "${spec}"). Pass the path or file URL of a module whose default export has a fetch(request, ctx) method.`,
    { cause },
  );
}

export function appInvalid(path: string, got: unknown): SwitchyardError {
  let found: string;
  if (got === undefined) found = 'it has no default export';
  else if (got === null || typeof got !== 'object') found = `its default export is ${show(got)}`;
  else found = `its default export has no fetch method (keys: ${Object.keys(got).join(', ') || 'none'})`;
  return new SwitchyardError('ERR_APP_INVALID', `Invalid option "app": ${path} must default-export an object with a fetch(request, ctx) method, but ${found}.`);
}

/** A TypeScript app this Node cannot load by itself, or with syntax its type stripping refuses. */
export function appTypeScript(path: string, cause: unknown): SwitchyardError {
  const reason =
    (cause as { code?: string })?.code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX'
      ? `its syntax needs more than Node's type stripping (${(cause as Error).message.split('\n')[0]})`
      : `Node ${process.version} cannot load TypeScript by itself`;
  return new SwitchyardError(
    'ERR_APP_TYPESCRIPT',
    `Cannot load the TypeScript app ${path}: ${reason}. Either run it on Node >= 22.18 (which strips types itself; 22.6 to 22.17 need --experimental-strip-types), or load it through tsx: npm install -D tsx, then NODE_OPTIONS="--import tsx" npx switchyard serve ${path}. Or serve the JavaScript that tsc builds.`,
    { cause },
  );
}

/** ES module syntax in a file Node loads as CommonJS. */
export function appCommonJs(path: string, packageJson: string | undefined, type: string | undefined, cause: unknown): SwitchyardError {
  const why =
    packageJson === undefined
      ? 'no package.json above it says "type": "module"'
      : type === undefined
        ? `${packageJson} has no "type"`
        : `${packageJson} says "type": ${JSON.stringify(type)}`;
  return new SwitchyardError(
    'ERR_APP_COMMONJS',
    `Cannot load the app ${path}: it uses ES module syntax (export or import), but Node loads it as CommonJS because ${why}. Rename it to ${path.endsWith('.ts') ? '.mts' : '.mjs'}, or set "type": "module" in package.json. A CommonJS app works too: module.exports = { fetch }.`,
    { cause },
  );
}

export function portInUse(host: string, port: number, cause?: unknown): SwitchyardError {
  return new SwitchyardError('ERR_PORT_IN_USE', `Cannot listen on ${host}:${port}: the port is already in use. Pass another "port", or 0 for any free port.`, {
    cause,
  });
}

export function listenFailed(host: string, port: number, cause: unknown): SwitchyardError {
  const reason = cause instanceof Error ? cause.message : String(cause);
  return new SwitchyardError('ERR_LISTEN', `Cannot listen on ${host}:${port}: ${reason}`, { cause });
}

export function bodyTooLarge(limit: number): SwitchyardError {
  return new SwitchyardError('ERR_BODY_TOO_LARGE', `The request body is larger than the limit of ${limit} bytes (limits.maxBodySize).`);
}
