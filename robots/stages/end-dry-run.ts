import type { StageRunner } from '../stage-runner.js';

/** A dry run ends at Review: what the robot added is undone, and Perform is never pressed. */
export async function endDryRun(run: StageRunner, shortname: string, backupFile: string): Promise<void> {
  if (!run.deps.dryRun) return;
  await run.undoBeforePerform();
  const leftBehind = run.notCleanedUp;
  run.finish({
    status: 'dry-run',
    courseId: run.course.courseId,
    shortname,
    backupFile,
    ...(leftBehind.length > 0 && { leftBehind: [...leftBehind] }),
  });
}
