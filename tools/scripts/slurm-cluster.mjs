#!/usr/bin/env node
/**
 * A one-node Slurm cluster on this machine, for testing the sharded sweep script of
 * docs/distributed.md against a real scheduler (Debian's slurmctld, slurmd, munge).
 *
 *   node tools/scripts/slurm-cluster.mjs install       # apt-get install the packages (root only)
 *   node tools/scripts/slurm-cluster.mjs start <dir>   # munged + slurmctld + slurmd, state in <dir>
 *   node tools/scripts/slurm-cluster.mjs stop <dir>    # stop the daemons by their pid files in <dir>
 *
 * Everything lives in <dir> (a fresh folder): the munge key and socket, slurm.conf,
 * pid files, logs, state and spool. Nothing under /etc is touched, the ports are free
 * ports picked at start, so a real cluster on the same machine is left alone. Clients
 * find the cluster through SLURM_CONF: `start` prints `SLURM_CONF=<dir>/slurm.conf`.
 *
 * Exit codes: 0 done; 3 cannot run here (the reason on stderr: not root, no apt-get,
 * packages missing); 1 a step failed (the daemon's log tail on stderr).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { hostname, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const PACKAGES = ['slurmctld', 'slurmd', 'slurm-client', 'munge'];
const BINARIES = ['/usr/sbin/munged', '/usr/sbin/slurmctld', '/usr/sbin/slurmd', '/usr/bin/sbatch', '/usr/bin/sinfo'];
/** Daemons in start order; stop goes in reverse. */
const DAEMONS = ['munged', 'slurmctld', 'slurmd'];

class CannotRun extends Error {}

const isRoot = () => typeof process.getuid === 'function' && process.getuid() === 0;
/** @param {string} cmd */
const has = (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
const installed = () => BINARIES.every((b) => existsSync(b));

function install() {
  if (process.platform !== 'linux') throw new CannotRun(`Slurm test cluster: needs Linux, this is ${process.platform}`);
  if (!isRoot()) throw new CannotRun('Slurm test cluster: needs root (the daemons run as root and install with apt-get)');
  if (installed()) return;
  if (!has('apt-get')) throw new CannotRun(`Slurm test cluster: ${BINARIES.filter((b) => !existsSync(b)).join(', ')} missing and no apt-get to install ${PACKAGES.join(' ')}`);
  console.log(`installing ${PACKAGES.join(' ')} with apt-get for the Slurm test cluster...`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // another apt-get (e.g. the Chromium step) may hold the dpkg lock: wait for it
  const lock = ['-o', 'DPkg::Lock::Timeout=300'];
  try {
    execFileSync('apt-get', [...lock, 'install', '-y', '-qq', ...PACKAGES], { stdio: 'inherit', env });
  } catch {
    execFileSync('apt-get', [...lock, 'update', '-qq'], { stdio: 'inherit', env });
    execFileSync('apt-get', [...lock, 'install', '-y', '-qq', ...PACKAGES], { stdio: 'inherit', env });
  }
  if (!installed()) throw new Error(`apt-get finished but ${BINARIES.filter((b) => !existsSync(b)).join(', ')} still missing`);
}

/**
 * A TCP port nobody listens on right now.
 * @returns {Promise<number>}
 */
function freePort() {
  return new Promise((ok, fail) => {
    const s = createServer();
    s.once('error', fail);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => ok(port));
    });
  });
}

/** @type {(dir: string, daemon: string) => number | undefined} */
const pidOf = (dir, daemon) => {
  const f = join(dir, `${daemon}.pid`);
  if (!existsSync(f)) return undefined;
  const pid = Number(readFileSync(f, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};

/**
 * Alive and not a zombie (a daemon whose parent never reaps it stays a zombie).
 * @param {number} pid
 */
function alive(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** @param {number} ms */
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** @param {string} file */
function tail(file, lines = 15) {
  return existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n').slice(-lines).join('\n') : `(no ${file})`;
}

/** @type {(cmd: string, args: string[], log: string) => void} */
function run(cmd, args, log) {
  const r = spawnSync(cmd, args, { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} exited with ${r.status}: ${(r.stderr || '').trim()}\n${tail(log)}`);
}

/** @param {string} dir */
async function start(dir) {
  install();
  mkdirSync(dir, { recursive: true });
  if (readdirSync(dir).length > 0) throw new Error(`start: ${dir} must be a new or empty folder`);
  for (let d = dirname(dir); d !== dirname(d); d = dirname(d)) {
    if ((statSync(d).mode & 0o001) === 0) throw new Error(`start: munged needs every folder above its socket searchable by all: chmod o+x ${d}`);
  }
  // munged insists: the socket's folder is searchable by all, the key readable by its owner only
  chmodSync(dir, 0o755);
  for (const d of ['state', 'spool']) mkdirSync(join(dir, d), { mode: 0o755 });
  const key = join(dir, 'munge.key');
  writeFileSync(key, randomBytes(1024), { mode: 0o400 });
  const socket = join(dir, 'munge.socket');
  const mungeLog = join(dir, 'munged.log');
  run('/usr/sbin/munged', [`--key-file=${key}`, `--socket=${socket}`, `--pid-file=${join(dir, 'munged.pid')}`, `--log-file=${mungeLog}`, `--seed-file=${join(dir, 'munged.seed')}`], mungeLog);

  const host = hostname().split('.')[0];
  const [ctldPort, slurmdPort] = [await freePort(), await freePort()];
  const memMiB = Math.max(1024, Math.floor((totalmem() / 2 ** 20) * 0.9));
  const conf = join(dir, 'slurm.conf');
  writeFileSync(
    conf,
    [
      '# One-node test cluster written by tools/scripts/slurm-cluster.mjs',
      'ClusterName=anira-test',
      `SlurmctldHost=${host}(127.0.0.1)`,
      `SlurmctldPort=${ctldPort}`,
      `SlurmdPort=${slurmdPort}`,
      'SlurmUser=root',
      'AuthType=auth/munge',
      'CredType=cred/munge',
      `AuthInfo=socket=${socket}`,
      'ProctrackType=proctrack/linuxproc',
      'TaskPlugin=task/none',
      'SelectType=select/cons_tres',
      'SelectTypeParameters=CR_CPU',
      // the node's size comes from this file, not from probing the hardware
      'SlurmdParameters=config_overrides',
      'ReturnToService=2',
      'MpiDefault=none',
      'JobAcctGatherType=jobacct_gather/none',
      `StateSaveLocation=${join(dir, 'state')}`,
      `SlurmdSpoolDir=${join(dir, 'spool')}`,
      `SlurmctldPidFile=${join(dir, 'slurmctld.pid')}`,
      `SlurmdPidFile=${join(dir, 'slurmd.pid')}`,
      `SlurmctldLogFile=${join(dir, 'slurmctld.log')}`,
      `SlurmdLogFile=${join(dir, 'slurmd.log')}`,
      `NodeName=${host} NodeAddr=127.0.0.1 CPUs=2 RealMemory=${memMiB} State=UNKNOWN`,
      `PartitionName=debug Nodes=${host} Default=YES MaxTime=INFINITE State=UP`,
      '',
    ].join('\n'),
  );
  run('/usr/sbin/slurmctld', ['-f', conf], join(dir, 'slurmctld.log'));
  run('/usr/sbin/slurmd', ['-f', conf], join(dir, 'slurmd.log'));

  // ready when the node reports idle
  const env = { ...process.env, SLURM_CONF: conf };
  let state = '';
  for (const t0 = Date.now(); Date.now() - t0 < 30_000; await sleep(250)) {
    const r = spawnSync('/usr/bin/sinfo', ['-h', '-N', '-o', '%t'], { encoding: 'utf8', env });
    state = (r.stdout || '').trim();
    if (r.status === 0 && state === 'idle') {
      console.log(`SLURM_CONF=${conf}`);
      return;
    }
  }
  throw new Error(`the node did not become idle within 30 s (sinfo says "${state}")\n${tail(join(dir, 'slurmctld.log'))}\n${tail(join(dir, 'slurmd.log'))}`);
}

/**
 * Stop the daemons started in `dir`, by their pid files; already-stopped ones are skipped.
 * @param {string} dir
 */
async function stop(dir) {
  /** @type {Array<[string, number | undefined]>} */
  const pids = [...DAEMONS].reverse().map((d) => [d, pidOf(dir, d)]);
  for (const [, pid] of pids) if (pid !== undefined && alive(pid)) process.kill(pid, 'SIGTERM');
  for (const t0 = Date.now(); Date.now() - t0 < 10_000; await sleep(100)) {
    if (pids.every(([, pid]) => pid === undefined || !alive(pid))) return;
  }
  for (const [d, pid] of pids) {
    if (pid !== undefined && alive(pid)) {
      console.warn(`${d} (pid ${pid}) ignored SIGTERM for 10 s: killing it`);
      process.kill(pid, 'SIGKILL');
    }
  }
}

const [cmd, arg] = process.argv.slice(2);
try {
  if (cmd === 'install') install();
  else if ((cmd === 'start' || cmd === 'stop') && arg) await (cmd === 'start' ? start : stop)(resolve(arg));
  else {
    console.error('usage: slurm-cluster.mjs install | start <dir> | stop <dir>');
    process.exit(2);
  }
} catch (e) {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(e instanceof CannotRun ? 3 : 1);
}
