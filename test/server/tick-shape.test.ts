// src/server/tick-shape.ts: with one nextTick record kept alive, a full garbage collection at
// start-up no longer sends V8's feedback for Node's nextTick literal megamorphic (which made every
// process.nextTick, several per HTTP request, take the runtime's slow path for good). The state is
// read from V8 itself (%DebugPrint of process.nextTick, in a child started with
// --allow-natives-syntax); the same script without the module shows the slow state, so the test
// proves it can see the difference.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { REQUIRE_SERVICES } from '../helpers/harness.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MODULE = join(ROOT, 'dist/server/tick-shape.js');
const BUILT = existsSync(MODULE);

if (!BUILT) {
  if (REQUIRE_SERVICES) throw new Error('test/server/tick-shape.test.ts: dist/server/tick-shape.js is missing — run `npm run build:server`');
  console.warn('\n*** tick-shape test SKIPPED: dist/server/tick-shape.js does not exist; run `npm run build:server` first ***\n');
}

const dir = mkdtempSync(join(tmpdir(), 'keysmith-tick-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const FASTIFY = pathToFileURL(join(ROOT, 'node_modules/fastify/fastify.js')).href;

/**
 * What a server's start-up does to nextTick, in miniature: a Fastify app starts and listens, a
 * full GC runs before any request (keysmith's start-up, with its migrations and 400 routes, causes
 * one on its own), then HTTP requests over keep-alive sockets. Prints V8's view of
 * process.nextTick's feedback.
 */
const script = (keep: boolean) => `
${keep ? `await import(${JSON.stringify(pathToFileURL(MODULE).href)});` : ''}
const { default: Fastify } = await import(${JSON.stringify(FASTIFY)});
const http = await import('node:http');
const app = Fastify();
for (let i = 0; i < 30; i++) app.get('/r' + i, async () => ({ i }));
app.get('/', async () => ({ ok: true }));
await app.listen({ port: 0, host: '127.0.0.1' });
globalThis.gc();
const agent = new http.Agent({ keepAlive: true, maxSockets: 4 });
const port = app.server.address().port;
const get = () => new Promise((resolve, reject) => http.get({ host: '127.0.0.1', port, path: '/', agent }, (res) => {
  res.resume();
  res.on('end', resolve);
}).on('error', reject));
for (let i = 0; i < 500; i++) await Promise.all([get(), get(), get(), get()]);
new Function('f', '%DebugPrint(f)')(process.nextTick);
await app.close();
agent.destroy();
`;

/** The feedback states of nextTick's literal slots (DefineKeyedOwnPropertyInLiteral), in order. */
function literalSlots(keep: boolean): string[] {
  const file = join(dir, `probe-${keep ? 'kept' : 'plain'}.mjs`);
  writeFileSync(file, script(keep));
  const res = spawnSync(process.execPath, ['--allow-natives-syntax', '--expose-gc', file], { encoding: 'utf8', timeout: 60_000 });
  expect(res.status, res.stderr).toBe(0);
  return [...res.stdout.matchAll(/DefineKeyedOwnPropertyInLiteral (\w+)/g)].map((m) => m[1]);
}

describe.skipIf(!BUILT)('keeping a nextTick record alive (tick-shape.js)', () => {
  it('keeps every slot of the nextTick literal monomorphic through a start-up GC', () => {
    const slots = literalSlots(true);
    expect(slots.length).toBeGreaterThanOrEqual(4);
    expect(slots.every((state) => state === 'MONOMORPHIC'), slots.join(', ')).toBe(true);
  });

  it('without it, the same start-up leaves the literal megamorphic (the probe sees the problem)', () => {
    expect(literalSlots(false)).toContain('MEGAMORPHIC');
  });

  it('is loaded by bin/keysmith.js before anything else (but v8-flags.js, which only sets a V8 flag)', () => {
    const bin = readFileSync(join(ROOT, 'bin/keysmith.js'), 'utf8');
    const imports = [...bin.matchAll(/import\(['"]([^'"]+)['"]\)|^import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1] ?? m[2]);
    expect(imports).toEqual(['../dist/server/v8-flags.js', '../dist/server/tick-shape.js', '../dist/cli/index.js']);
  });
});
