export { serve, type ReactorContext } from './server.js';
