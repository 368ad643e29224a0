import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { holderIsGone, thisHolder } from '../ledger/ledger.js';
import type { OperatorError, RunStopped } from '../rules/operator-errors.js';
import type { CourseRequest } from './course-list.js';

/** A whole-run problem met by a worker (its login): every course after it is left, said once. */
export interface RunStopRecord {
  problem: OperatorError;
  evidenceDir?: string;
}

const STOP_FILE = 'run-stopped.json';

export async function writeRunStop(runDir: string, stop: RunStopped): Promise<void> {
  const record: RunStopRecord = {
    problem: stop.problem,
    ...(stop.evidenceDir !== undefined && { evidenceDir: stop.evidenceDir }),
  };
  await writeFile(path.join(runDir, STOP_FILE), `${JSON.stringify(record)}\n`, {
    mode: 0o600,
    flag: 'wx',
  }).catch((error: unknown) => {
    // Another worker said it first: once is enough.
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
}

export function readRunStop(runDir: string): RunStopRecord | undefined {
  const file = path.join(runDir, STOP_FILE);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as RunStopRecord) : undefined;
}

interface BatchMarker {
  runId: string;
  holder: string;
  startedAt: string;
  courseList: string;
}

/**
 * Batches running over the same courses on this machine: each leaves a marker, named after its list's
 * courses, next to the ledger while it runs. Returns the live ones already there, then adds this one.
 */
export async function markBatch(
  ledgerPath: string,
  courses: readonly CourseRequest[],
  marker: Omit<BatchMarker, 'holder' | 'startedAt'>,
): Promise<{ others: BatchMarker[]; release: () => Promise<void> }> {
  const key = createHash('sha256')
    .update(
      courses
        .map((course) =>
          course.target.kind === 'id' ? `id:${course.target.id}` : `sn:${course.target.shortname}`,
        )
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 16);
  const dir = path.join(path.dirname(ledgerPath), 'batches', key);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  // Its own marker first, then the others: of two batches started together, the later reader sees the first.
  const own: BatchMarker = { ...marker, holder: thisHolder(), startedAt: new Date().toISOString() };
  const file = path.join(dir, `${marker.runId}.json`);
  await writeFile(file, `${JSON.stringify(own)}\n`, { mode: 0o600 });
  const others: BatchMarker[] = [];
  for (const name of await readdir(dir)) {
    const other = path.join(dir, name);
    if (other === file) continue;
    const found = JSON.parse(await readFile(other, 'utf8').catch(() => '{}')) as Partial<BatchMarker>;
    if (found.holder === undefined || holderIsGone(found.holder)) {
      await rm(other, { force: true });
      continue;
    }
    others.push(found as BatchMarker);
  }
  return { others, release: () => rm(file, { force: true }) };
}

export function describeOtherBatches(others: readonly BatchMarker[]): string {
  return `another batch over the same courses is running: ${others
    .map(
      (other) =>
        `run ${other.runId} (process ${other.holder.split('@')[0] ?? other.holder}, since ${other.startedAt}, list ${other.courseList})`,
    )
    .join('; ')}; the courses it is restoring are left to it and counted "claimed elsewhere"`;
}
