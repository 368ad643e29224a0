import type { CoursePage } from '../pages/course-page.js';
import { targetIsEmpty } from './guards.js';

export type RecordedRestoreLook =
  | { verdict: 'there'; detail: string }
  /** Recorded restored, but the course holds nothing now (emptied since, the site reset or rebuilt). */
  | { verdict: 'empty'; detail: string };

/**
 * The ledger says the course was restored: a cheap look at what the course holds now (Moodle's course
 * editor state, one request) before saying "already restored".
 */
export async function lookAtRecordedRestore(
  course: CoursePage,
  courseId: number,
): Promise<RecordedRestoreLook> {
  await course.goto(courseId);
  const inventory = await course.contents(courseId);
  const emptiness = targetIsEmpty(inventory);
  const activities = inventory.activities.filter((activity) => !activity.isNewsForum).length;
  return emptiness.verdict === 'pass'
    ? { verdict: 'empty', detail: emptiness.detail }
    : { verdict: 'there', detail: `${activities} activities, ${inventory.sections.length} sections` };
}
