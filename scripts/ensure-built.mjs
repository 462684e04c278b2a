// Builds the server and the console when the build output is missing or older than the sources,
// so `npm start` works on a fresh clone even when install scripts were skipped.
import { execSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

function newest(dir) {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

const serverStale = !existsSync('dist/cli/index.js') || newest('src') > statSync('dist/cli/index.js').mtimeMs;
const webStale = !existsSync('dist/web/index.html') || newest('web') > statSync('dist/web/index.html').mtimeMs;
if (serverStale) execSync('npm run -s build:server', { stdio: 'inherit' });
if (webStale) execSync('npm run -s build:web', { stdio: 'inherit' });
