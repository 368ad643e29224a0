import { readFileSync, readdirSync } from 'node:fs';

/** Every process of the machine, by id (read from /proc). */
export function processIds(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Every process started, directly or not, by `root`. */
export function descendants(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of processIds()) {
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(parent, [...(children.get(parent) ?? []), entry]);
    } catch {
      // the process ended meanwhile
    }
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
 * Memory of a process and all its descendants, in MiB: each process's proportional share (PSS), so
 * pages Chromium's processes share are counted once, not once per process as resident sizes would.
 */
export function treeMemoryMiB(root: number): number {
  let kib = 0;
  for (const pid of [root, ...descendants(root)]) {
    try {
      kib += Number(/^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1] ?? 0);
    } catch {
      // ended, or not ours to read
    }
  }
  return Math.round(kib / 1024);
}

/** The command line of a process, its arguments separated by NUL ('' once it has ended). */
export function commandLine(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return '';
  }
}
