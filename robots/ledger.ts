import { hostname } from 'node:os';

/**
 * The durable record of restores: what stops a course from being restored twice.
 *
 * Moodle deletes a course's content only when the restore executes, after "Perform restore"; so the
 * robot claims the course right before that click, and records how it ended. A course is known by its
 * vert course id (a short name is resolved first), so two spellings of one course are one key.
 *
 * The record is behind this interface so that a batch spread over several machines can use a shared
 * database server; SqliteLedger (robots/sqlite-ledger.ts) is the one for a single machine.
 */

export type CourseState =
  /** Claimed right before Perform and not closed: running now, or killed mid-restore (maybe half restored). */
  | 'claimed'
  /** The run stopped before Perform: nothing was deleted, the course may be claimed again. */
  | 'released'
  | 'restored'
  /** The restore failed after Perform: the course content is gone. */
  | 'failed-after-perform';

export interface CourseRecord {
  courseId: number;
  /** The vert course's short name, for people reading the ledger. */
  courseLabel?: string;
  state: CourseState;
  runId: string;
  backupFile: string;
  evidencePath: string;
  /** Claimed with --force over a state that refuses. */
  forced: boolean;
  reason?: string;
  /** ISO 8601 time of the last change. */
  updatedAt: string;
  /** The process holding a claim, as `pid@host`: tells a running claim from an interrupted one. */
  holder?: string;
  /** Moodle's restore id (the controller's backupid) of the claimed restore, known at Review. */
  restoreId?: string;
}

export type CourseStatus = { state: 'never-touched' } | { state: CourseState; record: CourseRecord };

/** The states that refuse a new claim. */
export interface RefusingStatus {
  state: Exclude<CourseState, 'released'>;
  record: CourseRecord;
}

export type Claim = { granted: true } | { granted: false; status: RefusingStatus };

export interface ClaimRequest {
  courseId: number;
  courseLabel?: string;
  backupFile: string;
  runId: string;
  evidencePath: string;
  /** Defaults to this process (`pid@host`). */
  holder?: string;
  restoreId?: string;
}

export interface LedgerEvent {
  courseId: number;
  event: 'claimed' | 'released' | 'restored' | 'failed-after-perform' | 'taken-over';
  runId: string;
  forced: boolean;
  reason?: string;
  at: string;
}

export interface Ledger {
  status(courseId: number): Promise<CourseStatus>;
  /** Courses recorded under this vert short name (the ledger's key is the id). */
  findByLabel(courseLabel: string): Promise<CourseRecord[]>;
  /**
   * In one atomic step: grants the course if it was never claimed or was released, and records the
   * claim. `force` grants it whatever its state but a claim whose process is alive, and is recorded.
   */
  claimBeforePerform(request: ClaimRequest, options?: { force?: boolean }): Promise<Claim>;
  /** The run that holds the claim stopped before Perform: nothing was deleted. */
  release(courseId: number, runId: string, reason: string): Promise<void>;
  /** `note` names anyone who lost an enrolment or a role in the restore. */
  recordRestored(courseId: number, runId: string, note?: string): Promise<void>;
  recordFailedAfterPerform(courseId: number, runId: string, reason: string): Promise<void>;
  /**
   * A run adopts a claim left by an interrupted one (its holder is gone), to close it once it has
   * looked at the course. Granted only if the claim is still held by `staleRunId`.
   */
  takeOverInterrupted(courseId: number, staleRunId: string, runId: string, reason: string): Promise<boolean>;
  history(courseId: number): Promise<LedgerEvent[]>;
  close(): Promise<void>;
}

/** A run closed a claim it does not hold: a bug, or another run forced the course meanwhile. */
export class LedgerError extends Error {
  override name = 'LedgerError';
}

/** This process, as a claim's holder. */
export function thisHolder(): string {
  return `${process.pid}@${hostname()}`;
}

/**
 * Whether the process holding a claim is gone: on this machine, when its pid no longer runs; a
 * holder on another machine cannot be checked from here, so it counts as alive.
 */
export function holderIsGone(holder: string | undefined): boolean {
  if (holder === undefined) return false;
  const [pid, host] = holder.split('@');
  if (host !== hostname() || pid === undefined || !/^\d+$/.test(pid)) return false;
  try {
    process.kill(Number(pid), 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

export function describeStatus(status: CourseStatus): string {
  if (status.state === 'never-touched') return 'never restored';
  const { record } = status;
  const evidence = `(evidence: ${record.evidencePath})`;
  switch (status.state) {
    case 'restored':
      return `already restored on ${record.updatedAt} from ${record.backupFile}${record.reason ? `; ${record.reason}` : ''} ${evidence}`;
    case 'claimed':
      return `claimed for Perform on ${record.updatedAt} by run ${record.runId} and not closed: it is running, or it was interrupted and the course may be half restored; check it by hand ${evidence}`;
    case 'failed-after-perform':
      return `a restore failed after Perform on ${record.updatedAt}, so the course content was deleted: ${record.reason ?? 'no reason recorded'} ${evidence}`;
    case 'released':
      return `released, nothing deleted: run ${record.runId} stopped before Perform on ${record.updatedAt}: ${record.reason ?? 'no reason recorded'} ${evidence}`;
  }
}
