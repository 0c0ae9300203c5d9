/// <reference types="node" preserve="true" />
/**
 * The reactor for other backends: `serve()` with a `ReactorContext`, whose
 * hooks take Node's types (the cluster backend runs one in each process).
 * The reference above makes a project that has @types/node load it here, and
 * one that lacks it fail with "Cannot find type definition file for 'node'".
 */
export { RESTART, serve, type ReactorContext } from './server.js';
