// Keeps one of Node's internal `process.nextTick` records alive for the life of the process.
//
// Why: Node builds each nextTick record as an object literal with computed keys
// (`{ [async_id_symbol]: …, [trigger_async_id_symbol]: …, callback, args }`). V8's feedback for
// such a literal goes from monomorphic straight to megamorphic the first time it sees a second
// hidden class, and never comes back. If a full garbage collection runs while no record is alive
// and before the code is optimized — which a server's start-up (hundreds of routes, migrations)
// reliably causes — V8 drops the record's hidden classes, builds new ones, and from then on every
// nextTick takes the runtime's slow path. An HTTP request makes several: measured, this cost
// keysmith about 10 µs of CPU per request, a quarter of a bare Fastify route's whole cost. (A bare
// Fastify app with 150 or more routes shows the same; with 30 it starts without a full GC.)
//
// Holding one record alive keeps its hidden class, and the chain of transitions leading to it,
// alive too, so later records share them and the feedback stays monomorphic. The record is caught
// with an async hook enabled only for this one call. Must run before anything else is loaded:
// bin/keysmith.js imports it first.
import { createHook } from 'node:async_hooks';

let kept: object | undefined;

const hook = createHook({
  init(_asyncId, type, _triggerAsyncId, resource) {
    if (type === 'TickObject' && kept === undefined) kept = resource;
  },
});
hook.enable();
process.nextTick(() => {});
hook.disable();

/** The kept record (exported so that it is reachable; nothing reads it). */
export const keptTickRecord = kept;
