// raw-fast as the engine's raw model runs it: a module whose default export is the handler.
export { fast as default } from './raw-handlers.mjs';
