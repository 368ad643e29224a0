import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Logger } from 'pino';
import { CoursePage } from '../pages/course-page.js';
import { CourseServices } from '../pages/course-services.js';
import type { SiteContext } from '../pages/moodle-site.js';
import { callMoodleService } from '../pages/moodle-page.js';
import { RestoreProcessPage } from '../pages/restore-process-page.js';
import { BACKUP_MANIFEST, parseMoodleBackupXml, readBackupContents } from '../backup-file/backup-contents.js';
import { targetIsEmpty } from '../rules/guards.js';
import type { CourseRecord, Ledger } from '../ledger/ledger.js';
import { verifyRestoredCourse } from '../rules/verify-restore.js';
import { watchAsyncRestore } from './watch-async-restore.js';
import type { RestoreVerification } from '../domain/outcome.js';

/** Moodle's backup controller states (backup/backup.class.php): queued, running, and the two ends. */
const STATUS_AWAITING = 700;
const STATUS_FINISHED_ERR = 900;

export type InterruptedClaimSettled =
  /** Nothing had been deleted: the claim is released and the restore can start again. */
  | { kind: 'released'; detail: string }
  /** The interrupted run's restore did finish: the course holds the backup. */
  | { kind: 'restored'; detail: string; verification: RestoreVerification }
  /** The course was emptied and is not what the backup holds: a person must look at it. */
  | { kind: 'emptied'; detail: string };

/**
 * A run was killed between its claim and the end of its restore. This run takes the claim over, waits
 * for the restore Moodle may still be running for it (asynchronous restores go on without the
 * browser), then looks at the course: still empty means nothing was lost, the backup's content means
 * the restore finished, anything else means the course was emptied and the restore is not confirmed.
 */
export async function settleInterruptedClaim(
  vert: SiteContext,
  record: CourseRecord,
  context: {
    courseId: number;
    contextId: number;
    runId: string;
    ledger: Ledger;
    restoreMs: number;
    log: Logger;
  },
): Promise<InterruptedClaimSettled> {
  const { courseId, runId, ledger } = context;
  const adopted = await ledger.takeOverInterrupted(
    courseId,
    record.runId,
    runId,
    `run ${record.runId} (${record.holder ?? 'unknown process'}) was interrupted after its claim`,
  );
  if (!adopted) throw new Error('another run took the interrupted claim over first');

  if (record.restoreId !== undefined) {
    const [status] = await callMoodleService<{ status: number }[]>(
      vert.page,
      'core_backup_get_async_backup_progress',
      {
        backupids: [record.restoreId],
        contextid: context.contextId,
      },
    ).catch(() => [] as { status: number }[]);
    if (status !== undefined && status.status >= STATUS_AWAITING && status.status < STATUS_FINISHED_ERR) {
      context.log.info({ restoreId: record.restoreId }, "waiting for the interrupted run's restore");
      await watchAsyncRestore(new RestoreProcessPage(vert), record.restoreId, context.contextId, {
        timeoutMs: context.restoreMs,
        log: context.log,
      }).catch(() => undefined);
    }
  }

  await new CoursePage(vert).goto(courseId);
  const now = await new CourseServices(vert).contents(courseId);
  if (targetIsEmpty(now).verdict === 'pass') {
    const detail = `run ${record.runId} was interrupted before its restore changed the course (found empty)`;
    await ledger.release(courseId, runId, detail);
    return { kind: 'released', detail };
  }
  // The interrupted run kept the backup's moodle_backup.xml in its evidence (a run before that, the .mbz).
  const backup = await readFile(path.join(record.evidencePath, BACKUP_MANIFEST), 'utf8')
    .then(parseMoodleBackupXml)
    .catch(() => readBackupContents(path.join(record.evidencePath, 'backup.mbz')))
    .catch(() => undefined);
  const verification = backup === undefined ? undefined : verifyRestoredCourse(backup, now);
  if (verification?.matches === true) {
    const detail = `the restore of interrupted run ${record.runId} finished: the course holds ${record.backupFile}`;
    await ledger.recordRestored(courseId, runId);
    return { kind: 'restored', detail, verification };
  }
  const detail = `course emptied, restore not confirmed: run ${record.runId} was interrupted mid-restore and the course does not hold ${record.backupFile}${verification ? ` (${verification.differences.slice(0, 3).join('; ')})` : ''}`;
  await ledger.recordFailedAfterPerform(courseId, runId, detail);
  return { kind: 'emptied', detail };
}
