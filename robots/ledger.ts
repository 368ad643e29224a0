import { appendFile, mkdir, open, readFile } from 'node:fs/promises';
import path from 'node:path';
import { withFileLock } from './file-lock.js';

/**
 * The durable record of restores, one JSON object per line. It is what stops a course from being
 * restored twice: the destructive step ("delete the contents, then restore") is claimed here,
 * under a lock, before it is clicked, and its end is recorded after.
 */
export type LedgerEntry =
  | {
      event: 'destructive-step-claimed';
      course: string;
      backupFile: string;
      runId: string;
      evidencePath: string;
      time: string;
      forced: boolean;
    }
  | {
      event: 'restored';
      course: string;
      backupFile: string;
      runId: string;
      evidencePath: string;
      time: string;
    }
  | { event: 'failed'; course: string; runId: string; evidencePath: string; time: string; reason: string };

export type CourseStatus =
  | { state: 'never-touched' }
  | { state: 'restored'; entry: Extract<LedgerEntry, { event: 'restored' }> }
  /** The destructive step was claimed and never finished: the course may be half restored. */
  | { state: 'interrupted'; entry: Extract<LedgerEntry, { event: 'destructive-step-claimed' }> }
  /** The destructive step ran and the restore then failed: the course content is gone. */
  | { state: 'failed-after-delete'; entry: Extract<LedgerEntry, { event: 'failed' }> };

export type Claim =
  { granted: true } | { granted: false; status: Exclude<CourseStatus, { state: 'never-touched' }> };

export class Ledger {
  private readonly lockPath: string;

  constructor(readonly filePath: string) {
    this.lockPath = `${filePath}.lock`;
  }

  async entries(): Promise<LedgerEntry[]> {
    let text: string;
    try {
      text = await readFile(this.filePath, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return text.split('\n').flatMap((line) => {
      if (line.trim() === '') return [];
      try {
        return [JSON.parse(line) as LedgerEntry];
      } catch {
        // A line cut short by a crash mid-write: the claim it carried never completed.
        return [];
      }
    });
  }

  async status(course: string): Promise<CourseStatus> {
    return statusOf(course, await this.entries());
  }

  /**
   * Atomically checks that the course was never restored nor left half-done, and records that its
   * destructive step is about to run. `force` lets an admin restore again; it is recorded.
   */
  async claimDestructiveStep(
    claim: { course: string; backupFile: string; runId: string; evidencePath: string },
    options: { force?: boolean } = {},
  ): Promise<Claim> {
    const force = options.force ?? false;
    return withFileLock(this.lockPath, async () => {
      const status = statusOf(claim.course, await this.entries());
      if (status.state !== 'never-touched' && !force) return { granted: false, status };
      await this.append({ event: 'destructive-step-claimed', ...claim, time: now(), forced: force });
      return { granted: true };
    });
  }

  async recordRestored(entry: { course: string; backupFile: string; runId: string; evidencePath: string }) {
    await withFileLock(this.lockPath, () => this.append({ event: 'restored', ...entry, time: now() }));
  }

  async recordFailure(entry: { course: string; runId: string; evidencePath: string; reason: string }) {
    await withFileLock(this.lockPath, () => this.append({ event: 'failed', ...entry, time: now() }));
  }

  private async append(entry: LedgerEntry): Promise<void> {
    await mkdir(path.dirname(this.filePath), { recursive: true });
    const separator = (await endsWithNewline(this.filePath)) ? '' : '\n';
    await appendFile(this.filePath, `${separator}${JSON.stringify(entry)}\n`, { mode: 0o600 });
    const handle = await open(this.filePath, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
  }
}

/** Only events after a claim count: a failure before the destructive step leaves the course as it was. */
function statusOf(course: string, entries: readonly LedgerEntry[]): CourseStatus {
  let status: CourseStatus = { state: 'never-touched' };
  let openClaim: Extract<LedgerEntry, { event: 'destructive-step-claimed' }> | undefined;
  for (const entry of entries) {
    if (entry.course !== course) continue;
    if (entry.event === 'destructive-step-claimed') {
      openClaim = entry;
      status = { state: 'interrupted', entry };
    } else if (entry.event === 'restored') {
      openClaim = undefined;
      status = { state: 'restored', entry };
    } else if (openClaim?.runId === entry.runId) {
      openClaim = undefined;
      status = { state: 'failed-after-delete', entry };
    }
  }
  return status;
}

async function endsWithNewline(filePath: string): Promise<boolean> {
  let handle;
  try {
    handle = await open(filePath, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return true;
    throw error;
  }
  try {
    const { size } = await handle.stat();
    if (size === 0) return true;
    const last = Buffer.alloc(1);
    await handle.read(last, 0, 1, size - 1);
    return last.toString() === '\n';
  } finally {
    await handle.close();
  }
}

function now(): string {
  return new Date().toISOString();
}

export function describeStatus(status: Exclude<CourseStatus, { state: 'never-touched' }>): string {
  switch (status.state) {
    case 'restored':
      return `already restored on ${status.entry.time} from ${status.entry.backupFile} (evidence: ${status.entry.evidencePath})`;
    case 'interrupted':
      return `a restore started on ${status.entry.time} never finished: the course may be half restored; check it by hand (evidence: ${status.entry.evidencePath})`;
    case 'failed-after-delete':
      return `a restore failed after its content was deleted on ${status.entry.time}: ${status.entry.reason} (evidence: ${status.entry.evidencePath})`;
  }
}
