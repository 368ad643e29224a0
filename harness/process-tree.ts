import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';

/** Every process of the machine, by id (read from /proc). */
export function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/**
 * A process's /proc/<pid>/stat fields after its command's closing parenthesis (the command may hold
 * spaces): state is the 1st, the parent the 2nd, utime and stime the 12th and 13th, starttime the 20th.
 * Undefined once the process has ended.
 */
export function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

let ticksPerSecond: number | undefined;

/** The clock ticks a second that /proc counts CPU and start times in (asked once, when first needed). */
export function clockTicksPerSecond(): number {
  ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK']).toString().trim()) || 100;
  return ticksPerSecond;
}

/** Every process started, directly or not, by `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of processIds()) {
    const fields = statFields(entry);
    // A process that ended meanwhile has none.
    if (fields === undefined) continue;
    const parent = Number(fields[1]);
    children.set(parent, [...(children.get(parent) ?? []), entry]);
  }
  const found: number[] = [];
  const visit = (pid: number) => {
    for (const child of children.get(pid) ?? []) {
      found.push(child);
      visit(child);
    }
  };
  visit(root);
  return found;
}

/**
 * Memory of these processes (a tree: a process and its descendants), in MiB: each process's
 * proportional share (PSS), so
 * pages Chromium's processes share are counted once, not once per process as resident sizes would.
 * Also summed by kind of process: Chromium's by its `--type` (the browser itself has none), Node's by
 * what it runs (Playwright's runner, its workers, the rest).
 */
export function memoryOf(pids: readonly number[]): { totalMiB: number; byKindMiB: Record<string, number> } {
  let total = 0;
  const byKind: Record<string, number> = {};
  for (const pid of pids) {
    try {
      const pss = Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
      const kind = processKind(commandLine(pid));
      total += pss;
      byKind[kind] = (byKind[kind] ?? 0) + pss;
    } catch {
      // ended, or not ours to read
    }
  }
  return {
    totalMiB: Math.round(total / 1024),
    byKindMiB: Object.fromEntries(
      Object.entries(byKind).map(([kind, kib]) => [kind, Math.round(kib / 1024)]),
    ),
  };
}

/** Whether a command line (NUL-separated, as `commandLine` reads it) is Playwright Test's runner. */
export function isPlaywrightRunner(line: string): boolean {
  return /cli\.js\0test\0|playwright\0test\0/.test(line);
}

/** Chromium rewrites its processes' titles, so the command line is read as one string. */
export function processKind(line: string): string {
  const program = path.basename(line.split(/[\0 ]/)[0] ?? '');
  if (program.startsWith('chrom')) {
    const type = /--type=([a-z-]+)/.exec(line)?.[1];
    if (type === undefined) return 'chromium: browser';
    if (type === 'renderer' && line.includes('--top-chrome-webui')) return 'chromium: browser UI renderer';
    return `chromium: ${type}`;
  }
  if (program === 'chrome_crashpad_handler') return 'chromium: crash handler';
  if (program === 'node') {
    if (line.includes('workerProcessEntry')) return 'node: Playwright worker';
    if (isPlaywrightRunner(line)) return 'node: Playwright runner';
    if (line.includes('ecampus-restore')) return 'node: the ecampus-restore command';
    return 'node: other';
  }
  return program || 'other';
}

/** The command line of a process, its arguments separated by NUL ('' once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}

/** CPU time a process has used so far (user + system, in clock ticks), or undefined once it has ended. */
export function cpuTicks(pid: number): number | undefined {
  const fields = statFields(pid);
  return fields === undefined ? undefined : Number(fields[11]) + Number(fields[12]);
}

/**
 * The CPU time of a process tree by kind of process, from samples taken while it runs: each process's
 * last reading counts (a process's last half-second before it ends can be missed).
 */
export class TreeCpuSampler {
  private readonly last = new Map<number, { kind: string; ticks: number }>();

  /** One reading of these processes (the tree as it stands: a process and its descendants). */
  sample(pids: readonly number[]): void {
    for (const pid of pids) {
      const ticks = cpuTicks(pid);
      if (ticks === undefined) continue;
      // Read each time (Debian's /usr/bin/chromium is a shell script that becomes the browser), but
      // an ending process has no command line left: it keeps the kind it had.
      const line = commandLine(pid);
      const kind = line ? processKind(line) : (this.last.get(pid)?.kind ?? 'other');
      this.last.set(pid, { kind, ticks });
    }
  }

  byKindSeconds(decimals = 1): Record<string, number> {
    const byKind: Record<string, number> = {};
    for (const { kind, ticks } of this.last.values()) byKind[kind] = (byKind[kind] ?? 0) + ticks;
    return Object.fromEntries(
      Object.entries(byKind).map(([kind, ticks]) => [
        kind,
        Number((ticks / clockTicksPerSecond()).toFixed(decimals)),
      ]),
    );
  }
}

/**
 * When a process started, in clock ticks after boot (/proc/<pid>/stat): with its pid, what tells it
 * from a later process given the same number. Undefined when there is no such process.
 */
export function processStartTicks(pid: number): number | undefined {
  if (!Number.isInteger(pid) || pid <= 0) return undefined;
  const ticks = Number(statFields(pid)?.[19]);
  return Number.isFinite(ticks) ? ticks : undefined;
}

/**
 * A pid file: the pid, then, for the processes the harness starts, the process's start time in ticks
 * after boot (a file nginx writes holds its pid alone).
 */
export function readPidFile(pidFile: string): { pid: number; startTicks?: number } | undefined {
  if (!existsSync(pidFile)) return undefined;
  const [pid, startTicks] = readFileSync(pidFile, 'utf8').trim().split(/\s+/).map(Number);
  if (pid === undefined || !Number.isInteger(pid) || pid <= 0) return undefined;
  return startTicks === undefined || !Number.isFinite(startTicks) ? { pid } : { pid, startTicks };
}
