/**
 * Debian packages that tests drive (nginx, chromium, redis-server), which
 * npm cannot install: tests install what is missing themselves, so a fresh
 * machine needs nothing beyond Node and npm (apt.mjs, shared with the
 * benches).
 */
export { installPackages, which } from './apt.mjs';
