// What stops a start names the setting at fault: a data directory keysmith cannot use (rather than
// SQLite's "unable to open database file"), an address it cannot listen on.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { openMigratedStore } from '../../src/server/configured-store.js';
import { startServer } from '../../src/server/start.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** The unprivileged user of Debian and most systems. */
const NOBODY = 65534;

describe('the data directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'keysmith-data-dir-'));
  afterAll(() => {
    chmodSync(join(root), 0o700);
    rmSync(root, { recursive: true, force: true });
  });

  it('a file in its place: "is not a directory"', async () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    await expect(openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: file })))
      .rejects.toThrow(`data directory ${file} (KEYSMITH_DATA_DIR) is not a directory`);
    await expect(openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: join(file, 'below') })))
      .rejects.toThrow(`data directory ${join(file, 'below')} (KEYSMITH_DATA_DIR) is not a directory`);
  });

  // root may write anywhere, so only another user can see the refusal: as root, the check runs in a
  // child process as `nobody`, on the build (dist/, which `npm ci` makes).
  it('a directory it may not write to: "is not writable"', async () => {
    const locked = join(root, 'read-only');
    mkdirSync(locked, { mode: 0o500 });
    const expected = new RegExp(`^data directory ${locked} \\(KEYSMITH_DATA_DIR\\) is not writable: EACCES`);
    try {
      if (process.getuid?.() !== 0) {
        await expect(openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: locked }))).rejects.toThrow(expected);
        return;
      }
      const built = join(ROOT, 'dist/server/configured-store.js');
      if (!existsSync(built)) throw new Error('dist/ is missing: run `npm run build:server` (npm ci does)');
      chmodSync(root, 0o755); // `nobody` may look inside, not write
      const script = `const { loadConfig } = await import(${JSON.stringify(pathToFileURL(join(ROOT, 'dist/config.js')).href)});
        const { openMigratedStore } = await import(${JSON.stringify(pathToFileURL(built).href)});
        try { await openMigratedStore(loadConfig({ KEYSMITH_DATA_DIR: ${JSON.stringify(locked)} })); console.log('opened'); }
        catch (err) { console.log(err.message); }`;
      const child = spawnSync(process.execPath, ['--input-type=module', '-e', script], { uid: NOBODY, gid: NOBODY, encoding: 'utf8', cwd: tmpdir() });
      expect(child.stderr).toBe('');
      expect(child.stdout.trim()).toMatch(expected);
    } finally {
      chmodSync(locked, 0o700);
    }
  });
});

describe('the address to listen on', () => {
  it('taken: names it with KEYSMITH_HOST and KEYSMITH_PORT, and lets go of the data directory', async () => {
    const taken = createServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    const port = (taken.address() as { port: number }).port;
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-listen-'));
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const config = loadConfig({ KEYSMITH_DATA_DIR: dir, KEYSMITH_HOST: '127.0.0.1', KEYSMITH_PORT: String(port), KEYSMITH_LOG_LEVEL: 'silent' });
      await expect(startServer(config)).rejects.toThrow(
        new RegExp(`^cannot listen on http://127\\.0\\.0\\.1:${port} \\(KEYSMITH_HOST, KEYSMITH_PORT\\): listen EADDRINUSE`));
      // The lock is released: a server on a free port starts on the same directory.
      const server = await startServer({ ...config, port: 0 });
      await server.stop();
      expect(readdirSync(dir)).toContain('keysmith.db');
    } finally {
      write.mockRestore();
      taken.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
