// The bench's baseline: a bare Fastify route answering with the same JSON body keysmith's
// GET /ng/api/user/currentUser does (read from BENCH_BODY_FILE), with no authentication at all.
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';

const body = JSON.parse(readFileSync(process.env.BENCH_BODY_FILE, 'utf8'));
const app = Fastify({ logger: false });
app.get('/ng/api/user/currentUser', async () => body);
await app.listen({ port: 0, host: '127.0.0.1' });
process.stdout.write(`bare Fastify running at http://127.0.0.1:${app.server.address().port}\n`);
process.once('SIGTERM', () => app.close().then(() => process.exit(0)));
