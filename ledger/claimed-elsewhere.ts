import { claimHolderIsGone, type CourseStatus, type Ledger } from './ledger.js';
import type { ClaimedElsewhere } from '../domain/outcome.js';

/** The course is in the hands of another run whose process is alive: this run leaves it to it. */

export function claimedElsewhere(
  courseId: number,
  status: CourseStatus,
  ownRunId: string,
  ledger: Pick<Ledger, 'heartbeatStaleMs'>,
): ClaimedElsewhere | undefined {
  if (status.state !== 'claimed' || status.record.runId === ownRunId) return undefined;
  if (claimHolderIsGone(status.record, ledger)) return undefined;
  const holder = status.record.holder ?? 'unknown process';
  const [pid, host] = holder.split('@');
  return {
    status: 'claimed-elsewhere',
    courseId,
    runId: status.record.runId,
    holder,
    since: status.record.updatedAt,
    step: 'check the ledger',
    reason: `being restored by run ${status.record.runId} (process ${pid ?? holder}${host ? ` on ${host}` : ''}, since ${status.record.updatedAt}): left to it`,
  };
}

/**
 * What another run did with the course while this one worked on it, read again when this one is
 * about to change something or has stopped: claimed by a live process, or restored by another run.
 */
export async function takenMeanwhile(
  ledger: Ledger,
  courseId: number,
  ownRunId: string,
  before: CourseStatus,
): Promise<
  | ClaimedElsewhere
  | { status: 'restored-elsewhere'; restoredAt: string; backupFile: string; evidencePath: string }
  | undefined
> {
  const now = await ledger.status(courseId);
  const elsewhere = claimedElsewhere(courseId, now, ownRunId, ledger);
  if (elsewhere) return elsewhere;
  if (now.state === 'restored' && before.state !== 'restored' && now.record.runId !== ownRunId)
    return {
      status: 'restored-elsewhere',
      restoredAt: now.record.updatedAt,
      backupFile: now.record.backupFile,
      evidencePath: now.record.evidencePath,
    };
  return undefined;
}
