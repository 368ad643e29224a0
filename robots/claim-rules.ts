import { claimHolderIsGone, type CourseRecord, type CourseStatus, type Ledger } from './ledger.js';

/**
 * `--force` restores again a course the ledger would refuse (restored, failed after Perform, a claim
 * whose process is gone), never one whose claim is held by a process that is still alive: that run may
 * be pressing Perform right now. A holder on another machine counts as alive until its heartbeat is
 * stale (ledger.ts's claimHolderIsGone).
 */
export function forceMayTakeOver(status: CourseStatus, ledger: Pick<Ledger, 'heartbeatStaleMs'>): boolean {
  return status.state !== 'claimed' || claimHolderIsGone(status.record, ledger);
}

export function liveClaimReason(record: CourseRecord): string {
  return `claimed for Perform on ${record.updatedAt} by run ${record.runId} (process ${record.holder ?? 'unknown'}), which is still running or cannot be checked from here: --force never takes over a live claim; wait for that run to end (evidence: ${record.evidencePath})`;
}
