// Turns off V8's allocation-site pretenuring for this process. Must run before anything else is
// loaded: bin/keysmith.js imports it first.
//
// Why: V8 watches where objects are allocated, and when many objects of one allocation site survive
// a young-generation collection it allocates that site's objects straight in the old generation.
// A server's start-up (building every route and schema, migrating) and the first burst of requests
// make it decide so for sites on the request path — Node's and Fastify's as much as keysmith's — and
// from then on each request's short-lived objects go to the old generation: measured under a
// steady 19,000 requests/s, it grew by about 100 MB a second, with a full mark-compact every second
// and young collections of 10 ms; the 99th percentile latency was 30–300 ms where a bare Fastify
// route, allocating the same way without the decision, stayed near 2 ms. Without pretenuring the
// same load ran with two mark-compacts in 15 s and a 99th percentile of 2–4 ms. Objects that do
// live long (caches, the compiled application) still reach the old generation the usual way,
// after surviving two young collections.
import { setFlagsFromString } from 'node:v8';

setFlagsFromString('--no-allocation-site-pretenuring');
