import { CoursePage } from '../pages/course-page.js';
import { CourseServices } from '../pages/course-services.js';
import type { SiteContext } from '../pages/moodle-site.js';
import { targetIsEmpty } from '../rules/guards.js';

export type RecordedRestoreLook =
  | { verdict: 'there'; detail: string }
  /** Recorded restored, but the course holds nothing now (emptied since, the site reset or rebuilt). */
  | { verdict: 'empty'; detail: string };

/**
 * The ledger says the course was restored: a cheap look at what the course holds now (Moodle's course
 * editor state, one request) before saying "already restored".
 */
export async function lookAtRecordedRestore(
  vert: SiteContext,
  courseId: number,
): Promise<RecordedRestoreLook> {
  await new CoursePage(vert).goto(courseId);
  const inventory = await new CourseServices(vert).contents(courseId);
  const emptiness = targetIsEmpty(inventory);
  const activities = inventory.activities.filter((activity) => !activity.isNewsForum).length;
  return emptiness.verdict === 'pass'
    ? { verdict: 'empty', detail: emptiness.detail }
    : { verdict: 'there', detail: `${activities} activities, ${inventory.sections.length} sections` };
}
