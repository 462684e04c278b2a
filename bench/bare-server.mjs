// The bench's baseline: a bare Fastify route answering with the same JSON body keysmith's
// GET /ng/api/user/currentUser does (read from BENCH_BODY_FILE), with no authentication at all. The
// bench sends it the same request as keysmith, x-api-key included, which it ignores.
//
// With BENCH_BUILD_KEYSMITH_IN=<dir>, the same bare route is served by a process that has also built
// keysmith's whole application beside it (store in <dir>, services, every route and schema, ready
// but never listening, never called): the bench's diagnostic (a′). It measures what merely being a
// large application costs Node and V8 on a route that runs none of keysmith's code: shared code
// (Node's streams and events, Fastify's internals) has seen more object shapes, and the start-up's
// full garbage collections dropped hidden classes the hot path then builds again (measured: with
// the start-up's collections put off by a larger initial heap, about half of the cost goes).
import { readFileSync } from 'node:fs';

const buildIn = process.env.BENCH_BUILD_KEYSMITH_IN;
// As bin/keysmith.js does, before anything else is loaded (see src/server/tick-shape.ts).
if (buildIn) await import('../dist/server/tick-shape.js');
const { default: Fastify } = await import('fastify');

const body = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE, 'utf8'));
const app = Fastify({ logger: false });
app.get('/ng/api/user/currentUser', async () => body);

const alongside = buildIn ? await buildKeysmith(buildIn) : null;

await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`bare Fastify running at http://127.0.0.1:${app.server.address().port}\n`);
process.once('SIGTERM', () => Promise.all([app.close(), alongside?.close()]).then(() => process.exit(0)));

async function buildKeysmith(dataDir) {
  const { loadConfig } = await import('../dist/config.js');
  const { openConfiguredStore, bootstrap } = await import('../dist/server/start.js');
  const { createServices } = await import('../dist/server/services.js');
  const { buildApp } = await import('../dist/http/app.js');
  const config = loadConfig({ KEYSMITH_DATA_DIR: dataDir, KEYSMITH_ADMIN_PASSWORD: 'not-used-bench-only', KEYSMITH_LOG_LEVEL: 'warn' });
  const store = await openConfiguredStore(config);
  await bootstrap(config, store);
  const services = await createServices(config, store);
  const keysmith = await buildApp(services);
  await keysmith.ready();
  return { close: async () => { await keysmith.close(); await services.close(); await store.close(); } };
}
