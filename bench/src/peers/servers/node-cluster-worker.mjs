// One node:cluster worker: the raw handler on node:http.
import { createServer } from 'node:http';
import handler from '../apps/raw.mjs';

const [host, port] = process.argv.slice(2);
createServer(handler).listen(Number(port), host);
