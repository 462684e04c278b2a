// Child processes of the bench: keysmith servers (`node bin/keysmith.js serve`) and the bare Fastify
// baseline, each on 127.0.0.1 with a port the OS picks, and their memory read from /proc.
import { spawn, spawnSync } from 'node:child_process';
import os from 'node:os';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The children's environment: the operator's tuning (e.g. KEYSMITH_TOKEN_CACHE_SIZE) passes through;
 * nothing that would point a child at real services or change where it listens.
 */
function cleanEnv(extra) {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'KEYSMITH_REDIS_PREFIX', 'KEYSMITH_PUBLIC_URL', 'KEYSMITH_DATA_DIR',
    'KEYSMITH_ADMIN_EMAIL', 'KEYSMITH_ADMIN_PASSWORD', 'KEYSMITH_TRUST_PROXY']) delete env[name];
  return { ...env, NODE_ENV: 'production', ...extra };
}

/**
 * Spawns a server and resolves once it prints `running at http://...`. `stop()` sends SIGTERM and
 * resolves to the exit code.
 */
export function startProcess(name, args, env) {
  const child = spawn(process.execPath, args, { cwd: ROOT, env: cleanEnv(env), stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  const url = new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk;
      const match = /running at (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1].replace('localhost', '127.0.0.1'));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk) => { output += chunk; });
    exited.then((code) => reject(new Error(`${name} exited (${code}) before listening:\n${output.slice(-4000)}`)));
  });
  return url.then((baseUrl) => ({
    name,
    pid: child.pid,
    url: baseUrl,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      const code = await exited;
      clearTimeout(timer);
      return code;
    },
  }));
}

export function startKeysmith(name, env) {
  return startProcess(name, ['bin/keysmith.js', 'serve'], {
    KEYSMITH_HOST: '127.0.0.1', KEYSMITH_PORT: '0', KEYSMITH_LOG_LEVEL: 'warn', ...env,
  });
}

/** The bare route; with `buildKeysmithIn` (a data directory), beside keysmith's built, idle application. */
export function startBareFastify(bodyFile, { buildKeysmithIn } = {}) {
  return startProcess(buildKeysmithIn ? 'bare Fastify beside keysmith' : 'bare Fastify', ['bench/bare-server.mjs'],
    { BENCH_BODY_FILE: bodyFile, ...(buildKeysmithIn ? { BENCH_BUILD_KEYSMITH_IN: buildKeysmithIn } : {}) });
}

function statusField(pid, field) {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : null;
}

/**
 * Peak resident memory of a process over a stretch of time: VmHWM, reset at the start when the
 * kernel allows it (clear_refs 5), and VmRSS sampled every 50 ms as a cross-check.
 */
export function watchPeakRss(pid) {
  let sampled = 0;
  let resetOk = false;
  try { writeFileSync(`/proc/${pid}/clear_refs`, '5'); resetOk = true; } catch { resetOk = false; }
  const sample = () => { try { sampled = Math.max(sampled, statusField(pid, 'VmRSS') ?? 0); } catch { /* exited */ } };
  sample();
  const timer = setInterval(sample, 50);
  return {
    stop() {
      clearInterval(timer);
      sample();
      let hwm = 0;
      try { hwm = statusField(pid, 'VmHWM') ?? 0; } catch { hwm = 0; }
      return resetOk ? Math.max(hwm, sampled) : sampled;
    },
  };
}

export function currentRss(pid) {
  try { return statusField(pid, 'VmRSS'); } catch { return null; }
}

const CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** CPU time (user + system) a process has used so far, in milliseconds; null when unreadable. */
export function cpuTimeMs(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name (which may contain spaces, inside parentheses).
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    return ((utime + stime) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return null;
  }
}

/** The machine's CPU time so far (all CPUs, clock ticks): total, and stolen by the hypervisor. */
export function hostCpuTicks() {
  try {
    const fields = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest time is already counted in user)
    return { total: fields.slice(0, 8).reduce((a, b) => a + b, 0), steal: fields[7] ?? 0 };
  } catch {
    return null;
  }
}

/** The share of the machine's CPU time stolen between two hostCpuTicks() readings; NaN when unknown. */
export function stolenShare(before, after) {
  if (!before || !after || after.total <= before.total) return NaN;
  return (after.steal - before.steal) / (after.total - before.total);
}

/**
 * Where the bench runs what, when the machine lets it choose: the servers it measures on the last
 * CPU, the load generator (this process) on the others, so that neither takes the other's core —
 * left to the scheduler, they share both, and the same run moves by a quarter from one minute to
 * the next. Null when there is one CPU or no `taskset` (util-linux).
 */
export function cpuPlan() {
  const cpus = os.availableParallelism();
  if (cpus < 2 || spawnSync('taskset', ['-V']).status !== 0) return null;
  return { servers: String(cpus - 1), generator: cpus === 2 ? '0' : `0-${cpus - 2}`, all: `0-${cpus - 1}` };
}

/** Binds every thread of a process (and those it starts later) to `cpus` (a taskset list); false when refused. */
export function pin(pid, cpus) {
  return spawnSync('taskset', ['-a', '-p', '-c', cpus, String(pid)], { stdio: 'ignore' }).status === 0;
}
