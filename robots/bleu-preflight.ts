import type { Page } from 'playwright';
import { CourseServices } from '../pages/course-services.js';
import { gotoMoodlePage } from '../pages/moodle-page.js';
import { moodleErrorOn } from '../pages/restore-stage.js';
import type { BackupContents } from '../backup-file/backup-contents.js';
import type { CourseInventory } from '../domain/course-inventory.js';
import { verifyRestoredCourse } from '../rules/verify-restore.js';

export interface BleuCourse {
  id: number;
  shortname: string;
  fullname: string;
  inventory: CourseInventory;
}

export type BleuPreflight = { kind: 'reachable'; course: BleuCourse } | { kind: 'refused'; reason: string };

/**
 * The seed's first precaution: the previous course exists on bleu and this user reaches it. Found by
 * its exact short name through Moodle's course search (the page, then its service), then opened: a
 * user who is not enrolled is sent to the enrolment page instead.
 */
export async function checkBleuCourse(
  page: Page,
  bleuUrl: string,
  shortname: string,
): Promise<BleuPreflight> {
  const bleu = new CourseServices({ page, url: bleuUrl });
  // Bleu's course search page, as a teacher would look the course up. Sent to the login page,
  // gotoMoodlePage says the session ended; services called from an error page fail with messages that
  // say nothing useful.
  await gotoMoodlePage(page, `${bleuUrl}/course/search.php?search=${encodeURIComponent(shortname)}`);
  const searchError = await moodleErrorOn(page);
  if (searchError !== undefined)
    throw new Error(`bleu (${bleuUrl}) does not show its course search to this user: ${searchError}`);
  const found = await bleu.coursesNamed(shortname);
  if (found.length === 0)
    return {
      kind: 'refused',
      reason: `no course has the short name "${shortname}" on bleu (${bleuUrl}), or this user cannot see it: the previous course must exist there`,
    };
  if (found.length > 1)
    return {
      kind: 'refused',
      reason: `${found.length} bleu courses have the short name "${shortname}" (ids ${found.map((c) => c.id).join(', ')}): give the bleu short name of the right one`,
    };
  const [course] = found as [(typeof found)[number]];
  await gotoMoodlePage(page, `${bleuUrl}/course/view.php?id=${course.id}`);
  const error = await moodleErrorOn(page);
  const landed = new URL(page.url());
  if (error !== undefined || !landed.pathname.endsWith('/course/view.php'))
    return {
      kind: 'refused',
      reason: `this user cannot open the bleu course "${shortname}" (${bleuUrl}/course/view.php?id=${course.id}): ${error ?? `sent to ${landed.pathname}, not enrolled?`}`,
    };
  return { kind: 'reachable', course: { ...course, inventory: await bleu.contents(course.id) } };
}

export interface BleuChangesAfterBackup {
  /** What the bleu course holds now and the backup does not (or the other way round). */
  structure: string[];
  /** Activities whose settings or files changed after the backup was made, with when. */
  edits: { activity: string; area: string; at: Date }[];
}

/**
 * What changed on bleu after the backup: the course's sections and activities compared with the
 * backup's, and Moodle's own record of activity edits since the backup's date
 * (core_course_get_updates_since, settings and files only: students' posts are not restored anyway).
 */
export async function bleuChangesAfterBackup(
  page: Page,
  bleuUrl: string,
  course: BleuCourse,
  backup: BackupContents,
): Promise<BleuChangesAfterBackup> {
  const bleu = new CourseServices({ page, url: bleuUrl });
  const now = await bleu.contents(course.id);
  const structure = verifyRestoredCourse(backup, now).differences;
  const names = new Map(now.activities.map((activity) => [activity.cmid, activity.name]));
  const edits = (
    await bleu.updatesSince(course.id, backup.backupDate, ['configuration', 'contentfiles'])
  ).map((update) => ({
    activity: names.get(update.cmid) ?? `activity ${update.cmid}`,
    area: update.area,
    at: update.at ?? backup.backupDate,
  }));
  return { structure, edits };
}
