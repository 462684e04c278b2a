#!/usr/bin/env node
// v8-flags.js and tick-shape.js first, on their own, before the rest is loaded (see those files).
await import('../dist/server/v8-flags.js');
await import('../dist/server/tick-shape.js');
await import('../dist/cli/index.js');
