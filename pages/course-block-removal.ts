import type { CoursePage } from './course-page.js';
import { gotoMoodlePage, whatThePageSays } from './moodle-page.js';

/**
 * Deletes a block from the course page as its "Delete" action does without JavaScript: the action's own
 * address (`bui_deleteid`, with the session key) confirmed (`bui_confirm=1`), which is where the
 * confirmation's "Yes" leads. Turns edit mode on: the action is only there for a user who may edit.
 */
export async function deleteCourseBlock(course: CoursePage, courseId: number, name: string): Promise<void> {
  // Moodle core's own markup of a block instance (block_base), whatever the block or the theme shows.
  const instance = course.page.locator(`[data-block="${name}"], .block.block_${name}`).first();
  const onPage = async () => (await instance.count()) > 0;
  await course.goto(courseId);
  if (!(await onPage())) return;
  await course.turnEditingOn();
  const action = instance.locator('a[href*="bui_deleteid="]').first();
  const link = (await action.count()) > 0 ? await action.getAttribute('href') : null;
  if (link === null)
    throw new Error(`the ${name} block on ${course.page.url()} has no Delete action for this user`);
  const url = new URL(link, course.page.url());
  url.searchParams.set('bui_confirm', '1');
  // 5.1's Delete action carries no session key in its address (its modal adds it): the page's own.
  if (!url.searchParams.has('sesskey')) {
    const sesskey = await course.page.evaluate(
      () => (window as { M?: { cfg?: { sesskey?: string } } }).M?.cfg?.sesskey,
    );
    if (sesskey) url.searchParams.set('sesskey', sesskey);
  }
  await gotoMoodlePage(course.page, url.href);
  await course.goto(courseId);
  if (await onPage())
    throw new Error(
      `the ${name} block is still on the course page after its deletion: "${await whatThePageSays(course.page)}"`,
    );
}
