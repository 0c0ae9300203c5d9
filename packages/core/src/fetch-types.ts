/**
 * Fetch types reached through the classes, which lib "dom" and @types/node
 * both declare. A project with @types/node and no "dom" lacks lib "dom"'s
 * own names for these (`HeadersInit`, `ReadableStreamReadResult`), so the
 * published declarations use these instead.
 */

/** What `new Headers(init)` takes (`HeadersInit`), or undefined. */
export type HeadersInput = ConstructorParameters<typeof Headers>[0];

/** What a stream reader's `read()` settles with (`ReadableStreamReadResult`). */
export type ReadResult<T> = Awaited<ReturnType<ReadableStreamDefaultReader<T>['read']>>;
