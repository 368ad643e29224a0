import { claimedElsewhere } from '../../ledger/claimed-elsewhere.js';
import { forceMayTakeOver, liveClaimReason } from '../../ledger/claim-rules.js';
import {
  claimHolderIsGone,
  describeStatus,
  type CourseRecord,
  type CourseStatus,
} from '../../ledger/ledger.js';
import { lookAtRecordedRestore } from '../ledger-reality.js';
import type { StageRunner } from '../stage-runner.js';

export interface LedgerBefore {
  before: CourseStatus;
  /** The claim of a run whose process is gone, to be settled once the course is open. */
  interrupted?: CourseRecord;
}

/** Never twice: what the ledger says about this course, before anything is read or changed. */
export async function checkLedger(run: StageRunner): Promise<LedgerBefore> {
  const { ledger, runId, force } = run.deps;
  const { courseId } = run.course;
  run.at('check the ledger');
  const before = await ledger.status(courseId);
  run.rememberLedgerBefore(before);
  await run.evidence.attach('ledger-before', before);
  const elsewhere = claimedElsewhere(courseId, before, runId, ledger);
  if (elsewhere && !force) run.finish(elsewhere);
  if (before.state === 'claimed' && force && !forceMayTakeOver(before, ledger))
    run.refuse(liveClaimReason(before.record));
  if (before.state === 'restored' && !force) {
    const look = await run.onVert('look at the restored course', () =>
      lookAtRecordedRestore(run.vert, courseId),
    );
    await run.evidence.attach('recorded-restore-look', look);
    if (look.verdict === 'empty')
      run.refuse(
        `the ledger records it restored on ${before.record.updatedAt} from ${before.record.backupFile}, but the course is empty now (${look.detail}): it was emptied or the site was reset since; look at the course, then restore it again with --force (evidence of that restore: ${before.record.evidencePath})`,
        'check the ledger',
      );
    run.finish({
      status: 'already-restored',
      courseId,
      restoredAt: before.record.updatedAt,
      backupFile: before.record.backupFile,
      evidencePath: before.record.evidencePath,
    });
  }
  const interrupted =
    before.state === 'claimed' && claimHolderIsGone(before.record, ledger) ? before.record : undefined;
  if (before.state !== 'never-touched' && before.state !== 'released' && !interrupted && !force)
    run.refuse(`${describeStatus(before)}${before.state === 'claimed' ? '' : '; --force restores it again'}`);
  return interrupted ? { before, interrupted } : { before };
}
