import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

/** What it takes to run one devnet process in the background. */
export interface ProcessSpec {
  /** Shown in progress and status lines, e.g. `peer0.immigration.egov.local`. */
  name: string;
  /** Node script to run. */
  script: string;
  args?: string[];
  /** Node and V8 options for this process; DEVNET_NODE_ARGS come after them and so override them. */
  nodeOptions?: string[];
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** stdout and stderr are appended here. */
  logFile: string;
  pidFile: string;
}

/**
 * Node options for every process devnet starts, from DEVNET_NODE_ARGS (whitespace-separated), e.g.
 * `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile the nodes: Node refuses --cpu-prof in NODE_OPTIONS.
 */
export function nodeArgs(env: NodeJS.ProcessEnv = process.env): string[] {
  return (env.DEVNET_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);
}

/** Starts a detached node process that outlives this one; its pid goes to `pidFile`. */
export function startProcess(spec: ProcessSpec): number {
  fs.mkdirSync(path.dirname(spec.logFile), { recursive: true });
  fs.mkdirSync(path.dirname(spec.pidFile), { recursive: true });
  const out = fs.openSync(spec.logFile, 'a');
  const argv = [...(spec.nodeOptions ?? []), ...nodeArgs(), spec.script, ...(spec.args ?? [])];
  const child = spawn(process.execPath, argv, {
    cwd: spec.cwd,
    env: { ...process.env, ...spec.env },
    detached: true,
    stdio: ['ignore', out, out],
  });
  fs.closeSync(out);
  if (child.pid === undefined) {
    throw new Error(`could not start ${spec.name} (${spec.script})`);
  }
  fs.writeFileSync(spec.pidFile, `${child.pid}\n`);
  child.unref();
  return child.pid;
}

/** The pid recorded in a pid file, if the file exists and the process is alive. */
export function runningPid(pidFile: string): number | undefined {
  let pid: number;
  try {
    pid = Number.parseInt(fs.readFileSync(pidFile, 'utf8').trim(), 10);
  } catch {
    return undefined;
  }
  return Number.isInteger(pid) && isAlive(pid) ? pid : undefined;
}

/**
 * True if a process with this pid exists (signal 0 checks without sending anything) and is not a
 * zombie: a node killed with kill -9 stays a zombie until its (adoptive) parent reaps it, which in
 * containers may take seconds or never happen, and `devnet up` must restart it meanwhile.
 */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** True if /proc says the process has exited but was not reaped yet (state Z); false where /proc is absent. */
function isZombie(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // pid (comm) state ...: comm may contain spaces and parentheses, the state follows the last ')'.
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) === 'Z';
  } catch {
    return false;
  }
}

/**
 * Stops the process of a pid file: SIGTERM, then SIGKILL after `graceMs`. Removes the pid file.
 * Returns false if nothing was running.
 */
export async function stopProcess(pidFile: string, graceMs = 10_000): Promise<boolean> {
  const pid = runningPid(pidFile);
  if (pid === undefined) {
    fs.rmSync(pidFile, { force: true });
    return false;
  }
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) {
    await sleep(100);
  }
  if (isAlive(pid)) {
    process.kill(pid, 'SIGKILL');
    while (isAlive(pid)) await sleep(50);
  }
  fs.rmSync(pidFile, { force: true });
  return true;
}

/** Promise-based delay. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
