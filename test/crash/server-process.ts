// Runs the real thing for the shutdown and crash tests: `node bin/keysmith.js serve` as a child
// process on SQLite in a temp directory, listening on 127.0.0.1 with a port the OS picks.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';
import { REQUIRE_SERVICES } from '../helpers/harness.js';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DIST_CLI = join(ROOT, 'dist/cli/index.js');

function newestSource(dir: string): number {
  let t = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, entry.name);
    t = Math.max(t, entry.isDirectory() ? newestSource(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** `describe` when the server is built (dist/cli/index.js); a loud skip otherwise (a failure in CI). */
export function describeWithBuiltServer(title: string, fn: () => void): void {
  if (!existsSync(DIST_CLI)) {
    if (REQUIRE_SERVICES) throw new Error(`${title}: dist/cli/index.js is missing — run \`npm run build:server\` (npm ci does)`);
    console.warn(`\n*** ${title}: SKIPPED — dist/cli/index.js is missing; run \`npm run build:server\` ***\n`);
    describe.skip(title, fn);
    return;
  }
  if (newestSource(join(ROOT, 'src')) > statSync(DIST_CLI).mtimeMs) {
    console.warn(`\n*** ${title}: dist/ is older than src/ — this runs the last build; \`npm run build:server\` first ***\n`);
  }
  describe(title, fn);
}

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  url: string;
  /** Resolves when the process has exited: its code, or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output(): string;
}

export async function spawnServer(dataDir: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  const childEnv: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(childEnv)) {
    if (name.startsWith('KEYSMITH_') || name === 'DATABASE_URL' || name === 'REDIS_URL') delete childEnv[name];
  }
  const child = spawn(process.execPath, [join(ROOT, 'bin/keysmith.js'), 'serve'], {
    cwd: ROOT,
    env: {
      ...childEnv, KEYSMITH_DATA_DIR: dataDir, KEYSMITH_HOST: '127.0.0.1', KEYSMITH_PORT: '0', KEYSMITH_LOG_LEVEL: 'warn', ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1].replace('localhost', '127.0.0.1'));
    });
    child.stderr!.on('data', (chunk) => { output += chunk; });
    void exited.then(({ code, signal }) => reject(new Error(`keysmith exited (${code ?? signal}) before listening:\n${output}`)));
  });
  return { child, pid: child.pid!, url, exited, output: () => output };
}

export interface Session { cookie: string; csrf: string; userId: string; accountId: string }

export async function login(url: string, email: string, password: string): Promise<Session> {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }),
  });
  const body = await res.json() as { data: { csrfToken: string; uuid: string; defaultAccountId: string } };
  if (res.status !== 200) throw new Error(`login failed: ${res.status} ${JSON.stringify(body)}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('keysmith_session='))!.split(';')[0];
  return { cookie, csrf: body.data.csrfToken, userId: body.data.uuid, accountId: body.data.defaultAccountId };
}

/** The request body creating a PAT of the session's user under `apiKeyIdentifier` (auto-created). */
export function patBody(session: Session, apiKeyIdentifier: string, identifier: string) {
  return {
    identifier, name: identifier, apiKeyIdentifier, parentIdentifier: session.userId, apiKeyType: 'USER',
    accountIdentifier: session.accountId,
  };
}

export async function createPat(url: string, session: Session, apiKeyIdentifier: string, identifier: string): Promise<string> {
  const res = await fetch(`${url}/ng/api/token?accountIdentifier=${session.accountId}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
    body: JSON.stringify(patBody(session, apiKeyIdentifier, identifier)),
  });
  const body = await res.json() as { data: string };
  if (res.status !== 200) throw new Error(`token creation failed: ${res.status} ${JSON.stringify(body)}`);
  return body.data;
}
