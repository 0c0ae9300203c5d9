/// <reference types="node" preserve="true" />
/**
 * The Node side of the Fetch bridge, shared by the backends. Its types are
 * Node's: the reference above loads @types/node where the project has it
 * (TypeScript 7 loads none unless told), and names what is missing where not.
 */
export { NodeRequest, type NodeRequestOptions } from './request.js';
export { sendResponse, settledSoon, PENDING } from './send.js';
export { flattenHeaders, hasHeader } from './headers.js';
export { sendError } from './errors.js';
export { afterNextPoll, resumedAfterHoldOff } from './hold-off.js';
export { createNodeHandler, type NodeHandlerOptions } from './handler.js';
export { createHttpServer, listen, drain, type ServerGuards } from './http-server.js';
export { Admission, clientLeft, healthProbe, SHED_RETRY_AFTER_S, type AdmissionOptions } from './admission.js';
export { TURN_BUDGET_MS } from './turns.js';
export { Fifo } from '../fifo.js';
export { readBody, requestHasBody } from './body.js';
export { ServerLifecycle, type CloseSteps } from './lifecycle.js';
export { Deadlines } from './deadlines.js';
export { threadExecArgv, splitNodeOptions } from './thread-flags.js';
export { catchUnhandled, runAsRequest, tracingRequests, type RequestLabel } from './unhandled.js';
export * from '../ops/index.js';
export { writeHead, tagResponse, accessTag, type AccessTag } from './head.js';
export { openChannelBridge, encodeMessage, decodeMessage, REDIS_PACKAGE } from '../channel-bridge.js';
export * from './websocket/index.js';
