import type { Route } from '../route.js';
import { chat, chatSocket, chatStream } from './chat.js';
import { cpu } from './cpu.js';
import { database } from './db.js';
import { echo } from './echo.js';
import { files } from './files.js';
import { health } from './health.js';
import { hello } from './hello.js';
import { idle } from './idle.js';
import { io } from './io.js';
import { upload } from './upload.js';
import { upstream } from './upstream.js';

/** The workload routes, in the order the page's catalogue lists them. */
export const workloadRoutes: readonly Route[] = [hello, cpu, io, upstream, database, files, chatStream, chat, chatSocket, idle, upload, echo, health];
