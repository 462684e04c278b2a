#!/usr/bin/env node
// tick-shape.js first, on its own, before the rest is loaded (see that file).
await import('../dist/server/tick-shape.js');
await import('../dist/cli/index.js');
