import type { BackupContents } from '../../backup-file/backup-contents.js';
import { bleuUnchangedSinceBackup } from '../../rules/guards.js';
import { bleuChangesAfterBackup, type BleuCourse } from '../bleu-preflight.js';
import type { StageRunner } from '../stage-runner.js';

/** Content changed on bleu after the backup is not in it: restore tomorrow. */
export async function checkBackupIsFresh(
  run: StageRunner,
  bleuCourse: BleuCourse,
  contents: BackupContents,
): Promise<void> {
  const { bleuPage, bleuUrl, allowStale } = run.deps;
  await run.on(bleuPage, 'check the backup is fresh', async () => {
    const changes = await bleuChangesAfterBackup(bleuPage, bleuUrl, bleuCourse, contents);
    const verdict = bleuUnchangedSinceBackup(contents, changes, { allowStale: allowStale ?? false });
    await run.evidence.attach('freshness', { ...verdict, changes });
    if (verdict.verdict === 'refuse') run.refuse(`${verdict.detail}; --allow-stale to restore it anyway`);
    if (verdict.verdict === 'warn') run.log.warn({ step: run.step }, verdict.detail);
  });
  // Bleu is read no more for this course: its page lets go of Moodle's page (a renderer's worth of
  // memory in each worker) until the next course reads bleu again. Kept as it is on a refusal: its
  // evidence shows it.
  await bleuPage.goto('about:blank');
}
