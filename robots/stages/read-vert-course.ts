import type { CourseRecord } from '../../ledger/ledger.js';
import { CoursePage } from '../../pages/course-page.js';
import { CourseServices } from '../../pages/course-services.js';
import { failedOutcome } from '../../rules/outcomes.js';
import { targetIsEmpty } from '../../rules/guards.js';
import { settleInterruptedClaim } from '../interrupted-claim.js';
import type { StageRunner } from '../stage-runner.js';

/**
 * The course where the user is teacher, and the first precaution: it must be empty. An interrupted
 * run's claim is settled first. Returns the course's context id.
 */
export async function readVertCourse(
  run: StageRunner,
  shortname: string,
  interrupted: CourseRecord | undefined,
): Promise<number> {
  const { force, ledger, runId, timeouts } = run.deps;
  const { page } = run.vert;
  const { courseId } = run.course;
  const coursePage = new CoursePage(run.vert);
  const { contextId } = await run.onVert('open the course', async () => {
    await coursePage.goto(courseId);
    await run.stopOnMoodleError(page, 'open the course');
    return coursePage.ids();
  });
  if (interrupted && !force) {
    const settled = await run.onVert('settle an interrupted run', () =>
      settleInterruptedClaim(run.vert, interrupted, {
        courseId,
        contextId,
        runId,
        ledger,
        restoreMs: timeouts.restoreMs,
        log: run.log,
      }),
    );
    await run.evidence.attach('interrupted-run', settled);
    if (settled.kind === 'restored')
      run.finish({
        status: 'restored',
        courseId,
        shortname,
        backupFile: interrupted.backupFile,
        verification: settled.verification,
      });
    if (settled.kind === 'emptied')
      run.finish(failedOutcome(courseId, 'settle an interrupted run', settled.detail, true));
  }
  const inventory = await run.onVert('check the course is empty', async () => {
    const contents = await new CourseServices(run.vert).contents(courseId);
    await run.evidence.attach('course-before', contents);
    return contents;
  });
  const emptiness = targetIsEmpty(inventory);
  if (emptiness.verdict === 'refuse') run.refuse(emptiness.detail, 'check the course is empty');
  return contextId;
}
