// How the bench measures: wrk for load; the workerd processes' per-thread schedstat (or /proc/<pid>/stat) for CPU,
// /proc/<pid>/status for the process's memory. Node is never the load generator for a figure: its client would be the
// bottleneck, not the Worker.
import { execFile, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { promisify } from 'node:util';

export function hasCommand(name: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
}

/** workerd processes started by this process (Miniflare spawns one per instance), found through /proc. */
export function childProcesses(name: string, parent = process.pid): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statFields(Number(entry));
    if (stat && stat.comm === name && stat.ppid === parent) found.push(Number(entry));
  }
  return found;
}

interface StatFields {
  comm: string;
  ppid: number;
  /** user + system CPU, in clock ticks. */
  ticks: number;
}

function statFields(pid: number): StatFields | null {
  let text: string;
  try {
    text = readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }
  // The command name is in parentheses and may contain spaces; fields after it are space-separated.
  const close = text.lastIndexOf(')');
  const comm = text.slice(text.indexOf('(') + 1, close);
  const rest = text
    .slice(close + 2)
    .split(' ')
    .map(Number);
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  return { comm, ppid: rest[1]!, ticks: rest[11]! + rest[12]! };
}

const TICKS_PER_SECOND = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/**
 * CPU milliseconds used so far by these processes (all threads): nanoseconds from each thread's schedstat where the
 * kernel keeps it, since /proc/<pid>/stat counts whole clock ticks (10 ms), too coarse for a cold start.
 */
export function cpuMs(pids: number[]): number {
  return pids.reduce(
    (sum, pid) => sum + (schedstatMs(pid) ?? ((statFields(pid)?.ticks ?? 0) * 1000) / TICKS_PER_SECOND),
    0,
  );
}

/**
 * CPU milliseconds used so far by the main thread of each process: where workerd runs the Worker's JavaScript, as
 * opposed to V8's background compiler and collector threads and the I/O threads, which `cpuMs` counts too.
 */
export function mainThreadCpuMs(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    try {
      return sum + threadCpuNs(pid, String(pid)) / 1e6;
    } catch {
      return sum;
    }
  }, 0);
}

function schedstatMs(pid: number): number | null {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`)) ns += threadCpuNs(pid, task);
    return ns / 1e6;
  } catch {
    return null;
  }
}

/** One thread's CPU so far, in nanoseconds: the first field of its schedstat. Throws once the thread is gone. */
function threadCpuNs(pid: number, task: string): number {
  return Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
}

/** Resident set size in KiB (VmRSS), summed over the processes. */
export function rssKiB(pids: number[]): number {
  return pids.reduce((sum, pid) => {
    try {
      const match = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      return sum + Number(match?.[1] ?? 0);
    } catch {
      return sum;
    }
  }, 0);
}

export interface LoadResult {
  requests: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  socketErrors: number;
  /** workerd CPU per request, ms. */
  cpuMsPerRequest: number;
  /** This process's CPU per request, ms: the stand-ins run here, so a route that costs them more shows it. */
  standInCpuMsPerRequest: number;
}

function durationMs(text: string | undefined): number {
  const match = /^([\d.]+)(us|ms|s|m)$/.exec(text ?? '');
  if (!match) return NaN;
  const scale = { us: 0.001, ms: 1, s: 1000, m: 60_000 }[match[2] as 'us' | 'ms' | 's' | 'm'];
  return Number(match[1]) * scale;
}

/**
 * wrk against one URL while counting the CPU of the given workerd processes. Asynchronous on purpose: the stand-ins
 * run in this process, and a blocked event loop would stall every request.
 */
export async function loadTest(
  url: string,
  pids: number[],
  { seconds, connections, headers = {} }: { seconds: number; connections: number; headers?: Record<string, string> },
): Promise<LoadResult> {
  const headerArgs = Object.entries(headers).flatMap(([name, value]) => ['-H', `${name}: ${value}`]);
  const before = cpuMs(pids);
  const standInBefore = process.cpuUsage();
  const { stdout } = await promisify(execFile)('wrk', [
    '-t1',
    `-c${connections}`,
    `-d${seconds}s`,
    '--latency',
    ...headerArgs,
    url,
  ]);
  const used = cpuMs(pids) - before;
  const standIn = process.cpuUsage(standInBefore);
  const requests = Number(/(\d+) requests in/.exec(stdout)?.[1] ?? 0);
  const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(stdout);
  return {
    requests,
    rps: Number(/Requests\/sec:\s+([\d.]+)/.exec(stdout)?.[1] ?? 0),
    p50Ms: durationMs(/\s50%\s+(\S+)/.exec(stdout)?.[1]),
    p99Ms: durationMs(/\s99%\s+(\S+)/.exec(stdout)?.[1]),
    non2xx: Number(/Non-2xx or 3xx responses: (\d+)/.exec(stdout)?.[1] ?? 0),
    socketErrors: errors ? errors.slice(1).reduce((sum, n) => sum + Number(n), 0) : 0,
    cpuMsPerRequest: requests > 0 ? used / requests : NaN,
    standInCpuMsPerRequest: requests > 0 ? (standIn.user + standIn.system) / 1000 / requests : NaN,
  };
}
