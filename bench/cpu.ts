/**
 * CPU time of processes, for the benchmarks' CPU-per-operation figures (less sensitive to a loaded
 * machine than throughput): utime + stime from /proc/<pid>/stat, and the processes of a network
 * from the pid files under its home.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** utime + stime of a process in seconds (undefined when it is gone or /proc is missing). */
export function cpuSecondsOf(pid: number): number | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** CPU seconds of each labelled process now (gone ones are left out). */
export function cpuSnapshot(processes: Map<string, number>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [label, pid] of processes) {
    const s = cpuSecondsOf(pid);
    if (s !== undefined) out.set(label, s);
  }
  return out;
}

/** CPU seconds the processes of `after` spent since `before`, summed. */
export function cpuSpent(before: Map<string, number>, after: Map<string, number>): number {
  let sum = 0;
  for (const [label, s] of after) sum += s - (before.get(label) ?? s);
  return sum;
}

/**
 * A network's processes by label, from the pid files under its home: devnet's
 * `nodes/<node>/node.pid` (label `<node>`) and `nodes/<node>/chaincode-<cc>.pid` (`<cc>@<node>`),
 * native.sh's `pids/<name>.pid` (`<name>` without a `chaincode-` prefix). `keep` picks the labels.
 */
export function networkProcesses(
  home: string,
  keep: (label: string) => boolean = () => true,
): Map<string, number> {
  const out = new Map<string, number>();
  const read = (label: string, file: string): void => {
    if (!keep(label)) return;
    const pid = Number(fs.readFileSync(file, 'utf8').trim());
    if (Number.isInteger(pid) && pid > 0) out.set(label, pid);
  };
  const nodes = path.join(home, 'nodes');
  for (const n of fs.existsSync(nodes) ? fs.readdirSync(nodes) : []) {
    for (const f of fs.readdirSync(path.join(nodes, n)).filter((x) => x.endsWith('.pid'))) {
      read(f === 'node.pid' ? n : `${f.replace(/^chaincode-|\.pid$/g, '')}@${n}`, path.join(nodes, n, f));
    }
  }
  const pids = path.join(home, 'pids');
  for (const f of fs.existsSync(pids) ? fs.readdirSync(pids) : []) {
    if (f.endsWith('.pid')) read(f.replace(/^chaincode-|\.pid$/g, ''), path.join(pids, f));
  }
  return out;
}
