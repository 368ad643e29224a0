import type { AccessLoss, RestoreOutcome, RestoreVerification } from '../../domain/outcome.js';
import { lossNote } from '../restorer-access.js';
import type { StageRunner } from '../stage-runner.js';

/** The restore is done: the fetched backup removed, the ledger told, the outcome kept as evidence. */
export async function recordRestored(
  run: StageRunner,
  facts: {
    shortname: string;
    backupFile: string;
    verification: RestoreVerification;
    accessLost: AccessLoss[] | undefined;
  },
): Promise<RestoreOutcome> {
  const { shortname, backupFile, verification, accessLost } = facts;
  await run.removeOwnBackup();
  await run.deps.ledger.recordRestored(run.course.courseId, run.deps.runId, lossNote(accessLost));
  const leftBehind = [
    ...run.notCleanedUp,
    ...(accessLost === undefined
      ? ['the participants after the restore were not compared: see run.log']
      : []),
  ];
  const restored: RestoreOutcome = {
    status: 'restored',
    courseId: run.course.courseId,
    shortname,
    backupFile,
    verification,
    ...(accessLost !== undefined && { accessLost }),
    ...(leftBehind.length > 0 && { leftBehind }),
  };
  await run.evidence.attach('outcome', restored);
  return restored;
}
