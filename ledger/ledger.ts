import { hostname } from 'node:os';

/**
 * The durable record of restores: what stops a course from being restored twice.
 *
 * Moodle deletes a course's content only when the restore executes, after "Perform restore"; so the
 * robot claims the course right before that click, and records how it ended. A course is known by its
 * vert course id (a short name is resolved first), so two spellings of one course are one key.
 *
 * The record is behind this interface so that a batch spread over several machines can use a shared
 * database server: SqliteLedger (ledger/sqlite-ledger.ts) is the one for a single machine,
 * PostgresLedger (ledger/postgres-ledger.ts) the shared one; openLedger (ledger/open-ledger.ts) picks.
 * Both run the same claim statements (ledger/ledger-sql.ts).
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
  /** ISO 8601 time of the claim holder's last heartbeat (claimed courses only). */
  heartbeatAt?: string;
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

/** A run's evidence folder as it ended: the hash its manifest's chain ends at (evidence/manifest-chain.ts). */
export interface EvidenceSeal {
  evidencePath: string;
  chainHead: string;
  runId: string;
  /** The course as the admin named it. */
  courseLabel: string;
  sealedAt: string;
}

export interface Ledger {
  /** A claim of another machine whose heartbeat is older than this counts as interrupted. */
  readonly heartbeatStaleMs: number;
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
  /**
   * Records the hash a run's evidence chain ended at (evidence/manifest-chain.ts), once per evidence
   * folder: a second seal of one folder is refused. verify-evidence compares the folder with it.
   */
  recordEvidenceSeal(seal: EvidenceSeal): Promise<void>;
  /** The seal recorded for an evidence folder (by its path as the run recorded it), if any. */
  evidenceSeal(evidencePath: string): Promise<EvidenceSeal | undefined>;
  close(): Promise<void>;
}

/** A run closed a claim it does not hold: a bug, or another run forced the course meanwhile. */
export class LedgerError extends Error {
  override name = 'LedgerError';
}

/**
 * The ledger could not be read or written (its database server is out of reach): nothing was
 * recorded, so a claim that meets it refuses Perform. The message is one line.
 */
export class LedgerUnavailableError extends Error {
  override name = 'LedgerUnavailableError';
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

/**
 * Whether a claim's holder is gone, so that the claim was interrupted: a holder on this machine is gone
 * when its process is; one on another machine, whose process cannot be checked from here, when its
 * heartbeat is older than the ledger's stale period (a claim with no heartbeat counts as live).
 */
export function claimHolderIsGone(
  record: Pick<CourseRecord, 'holder' | 'heartbeatAt'>,
  ledger: Pick<Ledger, 'heartbeatStaleMs'>,
  now = Date.now(),
): boolean {
  const host = record.holder?.split('@')[1];
  if (record.holder === undefined || host === hostname()) return holderIsGone(record.holder);
  if (record.heartbeatAt === undefined) return false;
  return now - Date.parse(record.heartbeatAt) > ledger.heartbeatStaleMs;
}

export function describeStatus(status: CourseStatus): string {
  if (status.state === 'never-touched') return 'never restored';
  const { record } = status;
  const evidence = `(evidence: ${record.evidencePath})`;
  switch (status.state) {
    case 'restored':
      return `already restored on ${record.updatedAt} from ${record.backupFile}${record.reason ? `; ${record.reason}` : ''} ${evidence}`;
    case 'claimed':
      return holderIsGone(record.holder)
        ? `claimed for Perform on ${record.updatedAt} by run ${record.runId}, whose process ${record.holder ?? ''} is gone, and never closed: the course may be half restored; check it by hand ${evidence}`
        : `being restored by run ${record.runId} (process ${record.holder ?? 'unknown'}, claimed on ${record.updatedAt}) ${evidence}`;
    case 'failed-after-perform':
      return `a restore failed after Perform on ${record.updatedAt}, so the course content was deleted: ${record.reason ?? 'no reason recorded'} ${evidence}`;
    case 'released':
      return `released, nothing deleted: run ${record.runId} stopped before Perform on ${record.updatedAt}: ${record.reason ?? 'no reason recorded'} ${evidence}`;
  }
}
