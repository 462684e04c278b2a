// Turns off V8's allocation-site pretenuring for this process. Must run before anything else is
// loaded: bin/keysmith.js imports it first.
//
// Why: V8 watches where objects are allocated, and when many objects of one allocation site survive
// a young-generation collection it allocates that site's objects straight in the old generation.
// A server's start-up (building every route and schema, migrating) and the first burst of requests
// make it decide so for sites on the request path — Node's and Fastify's as much as keysmith's — and
// from then on each request's short-lived objects go to the old generation: measured under a
// steady 19,000 requests/s, it grew by about 100 MB a second, with a full mark-compact every second
// (16 in 15 s, against 1–2 for a bare Fastify route) and young collections of 5–13 ms. Without
// pretenuring the same load ran with 2 in 15 s, and the bench's (b½) p99 went from 30 ms to 9–13 ms
// (still above the bare route's 2–3 ms). Objects that do live long (caches, the compiled
// application) still reach the old generation the usual way, after surviving two young collections.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
