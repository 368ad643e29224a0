import { takenMeanwhile } from '../../ledger/claimed-elsewhere.js';
import type { CourseStatus } from '../../ledger/ledger.js';
import { BackupBlock } from '../../pages/backup-block.js';
import { CoursePage } from '../../pages/course-page.js';
import type { StageRunner } from '../stage-runner.js';
import { TakenMeanwhile } from '../stop.js';
import { describeError } from '../../rules/operator-errors.js';

export interface BlockOnCourse {
  block: BackupBlock;
  /** The robot opened the block drawer to reach the block: it closes it again. */
  openedDrawer: boolean;
}

/** The backup block, once: a block already on the course, found by what it shows, is reused. */
export async function ensureBackupBlock(
  run: StageRunner,
  ledgerBefore: CourseStatus,
): Promise<BlockOnCourse> {
  const { backupBlock, blockName, ledger, runId } = run.deps;
  const { courseId } = run.course;
  const coursePage = new CoursePage(run.vert);
  const block = new BackupBlock(run.vert, backupBlock);
  if (await block.isOnPage()) return { block, openedDrawer: false };
  // Another run over the same course may be at this very step: its claim, or the block it added.
  run.at('add the backup block');
  if (await takenMeanwhile(ledger, courseId, runId, ledgerBefore)) throw new TakenMeanwhile();
  let openedDrawer = false;
  await run.onVert(
    'add the backup block',
    async () => {
      await coursePage.turnEditingOn();
      run.rememberAddedBlock();
      try {
        openedDrawer = await coursePage.addBlock(blockName, block.fetchLink);
      } catch (error) {
        if (error instanceof Error && /after its addition/.test(error.message))
          run.fail(
            `the block_${blockName} block was added, but the course page does not show ${block.describe()}: check BACKUP_BLOCK_TITLE and BACKUP_LINK_TEXT`,
          );
        await coursePage.goto(courseId);
        // Moodle refuses a second instance of a block (4.4 with a page that lists none, 5.1 with an
        // HTTP 500): the course may hold its backup block already, under texts the robot was not given.
        if (!(await block.isOnPage()))
          run.fail(
            `vert did not add the block_${blockName} block (${describeError(error)}) and the course page does not show ${block.describe()}: if the course has its backup block already, check BACKUP_BLOCK_TITLE and BACKUP_LINK_TEXT`,
          );
        run.log.info(
          { step: run.step },
          'the backup block was added meanwhile (another run on this course?)',
        );
      }
    },
    true,
  );
  return { block, openedDrawer };
}
