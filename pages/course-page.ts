import type { Locator, Page } from 'playwright';
import type { CourseInventory } from '../domain/course-inventory.js';
import {
  callMoodleService,
  clickToMoodlePage,
  expectOne,
  gotoMoodlePage,
  pageHeading,
  waitForDrawersToSettle,
  whatThePageSays,
} from './moodle-page.js';
import { decodeHtmlEntities } from './moodle-text.js';
import { listedAs } from '../domain/moodle-formatting.js';

interface FormatState {
  section: {
    number: number;
    title: string;
    rawtitle: string | null;
    hassummary: boolean;
    cmlist: string[];
  }[];
  cm: { id: string; name: string; module: string; sectionnumber: number }[];
}

/**
 * A course's main page (`/course/view.php?id=N`): edit mode, the blocks and how to add one. Moodle's
 * two standard themes draw these differently, and each locator finds whichever the page shows:
 * Boost's edit-mode switch or Classic's "Turn editing on" button (both ask course/view.php or
 * editmode.php to turn editing on); Boost's "Add a block" link or Classic's "Add a block" block
 * (both lead to the page's address with `bui_addblock`); Boost's block drawer, which Classic has not
 * (its blocks sit in side columns, always shown).
 */
export class CoursePage {
  readonly editSwitch: Locator;
  readonly blockDrawerToggle: Locator;
  readonly blockDrawerShown: Locator;
  readonly addBlockButton: Locator;

  constructor(
    readonly page: Page,
    readonly siteUrl: string,
  ) {
    this.editSwitch = page.locator(
      [
        'form.editmode-switch-form input[name="setmode"]',
        'form:has(> input[name="edit"][value="on"]) [type="submit"]',
      ].join(', '),
    );
    this.blockDrawerToggle = page
      .locator('[data-toggler="drawers"][data-action="toggle"][data-target="theme_boost-drawers-blocks"]')
      .first();
    this.blockDrawerShown = page.locator('#theme_boost-drawers-blocks.show, .drawer-right.show').first();
    // Boost's link by its own attributes, the same from 4.4 to 5.1 (5.1 changed its wrapper,
    // `.add_block_button`); Classic's add-block list.
    this.addBlockButton = page
      .locator(
        ['a[data-key="addblock"][data-blockregion]', 'form:has(select[name="bui_addblock"])'].join(', '),
      )
      .first();
  }

  async goto(courseId: number): Promise<void> {
    await gotoMoodlePage(this.page, `${this.siteUrl}/course/view.php?id=${courseId}`);
  }

  /** The course id and context id the page carries in its body classes. */
  async ids(): Promise<{ courseId: number; contextId: number }> {
    const classes = (await this.page.locator('body').getAttribute('class')) ?? '';
    const courseId = /\bcourse-(\d+)\b/.exec(classes)?.[1];
    const contextId = /\bcontext-(\d+)\b/.exec(classes)?.[1];
    if (!courseId || !contextId) throw new Error(`not a course page: ${this.page.url()}`);
    return { courseId: Number(courseId), contextId: Number(contextId) };
  }

  async isEditing(): Promise<boolean> {
    return (await this.page.locator('body.editing').count()) > 0;
  }

  async turnEditingOn(): Promise<void> {
    if (await this.isEditing()) return;
    const editSwitch = await expectOne(this.editSwitch, 'course page', 'CoursePage.editSwitch');
    await clickToMoodlePage(this.page, editSwitch, /\/course\/view\.php$/);
    if (!(await this.isEditing()))
      throw new Error(`edit mode did not turn on: ${this.page.url()} "${await whatThePageSays(this.page)}"`);
  }

  /** Whether the page has Boost's block drawer (Classic shows its blocks in side columns). */
  async hasBlockDrawer(): Promise<boolean> {
    return (await this.blockDrawerToggle.count()) > 0;
  }

  /**
   * Opens the block drawer when it is closed (Moodle remembers the user's choice), and waits until it
   * has slid open: a screenshot taken meanwhile would show it half-way. True when it was closed; false
   * too on a page without a drawer.
   */
  async openBlockDrawer(): Promise<boolean> {
    if (!(await this.hasBlockDrawer())) return false;
    const closed = await this.blockDrawerToggle.isVisible();
    if (closed) await this.blockDrawerToggle.click();
    await this.blockDrawerShown.waitFor();
    await waitForDrawersToSettle(this.page);
    return closed;
  }

  /**
   * Closes the block drawer with its close button (Moodle remembers it for the user's next pages).
   * The button is pressed without waiting for the page's animation frames: behind another window
   * (the one the backup block opens), Chromium paints this page too rarely for Playwright's
   * "stable" check, which then took about 2 s.
   */
  async closeBlockDrawer(): Promise<void> {
    await this.blockDrawerShown
      .locator('[data-toggler="drawers"][data-action="closedrawer"]')
      .first()
      .click({ force: true });
    await this.blockDrawerToggle.waitFor();
  }

  /**
   * Adds a block as Moodle's "Add a block" control does in a browser without JavaScript: the control's
   * own address (Boost's link, or the form of Classic's "Add a block" block: this page, its block
   * region, the session key) with the block's name, which is where the dialog's entry or the list's
   * choice leads too. Edit mode must be on: the control is only there for a user who may add blocks.
   * `shown` is what proves the block is on the page. True when the block drawer had to be opened to
   * show it.
   */
  async addBlock(name: string, shown: Locator): Promise<boolean> {
    const control = await expectOne(this.addBlockButton, 'course page', 'CoursePage.addBlockButton');
    const url = await control.evaluate((element) => {
      if (element instanceof HTMLAnchorElement) return element.href;
      if (!(element instanceof HTMLFormElement)) return undefined;
      const target = new URL(element.action);
      for (const input of Array.from(element.querySelectorAll<HTMLInputElement>('input[type="hidden"]')))
        target.searchParams.set(input.name, input.value);
      return target.href;
    });
    if (url === undefined || url === '')
      throw new Error(`the "Add a block" control has no address on ${this.page.url()}`);
    const address = new URL(url, this.page.url());
    address.searchParams.set('bui_addblock', name);
    await gotoMoodlePage(this.page, address.href);
    if ((await shown.count()) === 0)
      throw new Error(
        `the ${name} block is not on the course page after its addition: ${this.page.url()} "${await whatThePageSays(this.page)}"`,
      );
    // Shown, as the dialog leaves it: the drawer the teacher opened to add it stays open.
    return !(await shown.first().isVisible()) && (await this.openBlockDrawer());
  }

  /** The course's full name, as its page header shows it. */
  async fullname(): Promise<string> {
    return pageHeading(this.page);
  }

  /**
   * Courses whose names match `text` (core_course_search_courses, as Moodle's course search does), with
   * their names as Moodle stores them (the service returns them escaped for HTML).
   */
  async searchCourses(text: string): Promise<{ id: number; shortname: string; fullname: string }[]> {
    const answer = await callMoodleService<{
      courses: { id: number; shortname: string; fullname: string }[];
    }>(this.page, 'core_course_search_courses', {
      criterianame: 'search',
      criteriavalue: text,
      page: 0,
      perpage: 50,
    });
    return answer.courses.map(({ id, shortname, fullname }) => ({
      id,
      shortname: decodeHtmlEntities(shortname),
      fullname: decodeHtmlEntities(fullname),
    }));
  }

  /**
   * The courses whose short name is `wanted` as Moodle stores it. The service lists names formatted
   * (tags removed), so a listed name that is the wanted one without its tags counts too, unless one
   * listed name is the wanted one exactly.
   */
  async coursesNamed(wanted: string): Promise<{ id: number; shortname: string; fullname: string }[]> {
    const found = (await this.searchCourses(wanted)).filter((course) => listedAs(course.shortname, wanted));
    const exact = found.filter((course) => course.shortname === wanted);
    return exact.length === 1 ? exact : found;
  }

  /**
   * The short name as Moodle stores it, from the course's settings form (the services list it with
   * its tags removed), when this user may open that form.
   */
  async storedShortname(courseId: number): Promise<string | undefined> {
    // Read over the page's own session without leaving the page the robot is on (and photographs).
    const answer = await this.page.request.get(`${this.siteUrl}/course/edit.php?id=${courseId}`, {
      maxRedirects: 0,
    });
    if (!answer.ok()) return undefined;
    return shortnameFieldValue(await answer.text());
  }

  /**
   * Sections and activities as the course editor knows them (web service core_courseformat_get_state,
   * called through the page's own client): language-independent, with raw section names.
   */
  async contents(courseId: number): Promise<CourseInventory> {
    const json = await callMoodleService<string>(this.page, 'core_courseformat_get_state', {
      courseid: courseId,
    });
    const state = JSON.parse(json) as FormatState;
    const firstCm = state.cm.reduce<number | undefined>(
      (lowest, cm) => Math.min(lowest ?? Number(cm.id), Number(cm.id)),
      undefined,
    );
    return {
      sections: state.section.map((section) => ({
        number: section.number,
        name: section.rawtitle ?? section.title,
        customName: (section.rawtitle ?? '') !== '',
        hasSummary: section.hassummary,
      })),
      activities: state.cm.map((cm) => ({
        cmid: Number(cm.id),
        modulename: cm.module,
        name: cm.name,
        sectionNumber: cm.sectionnumber,
        // The announcements forum Moodle adds to every course: the course's first forum, in section 0.
        isNewsForum: cm.module === 'forum' && cm.sectionnumber === 0 && Number(cm.id) === firstCm,
      })),
    };
  }

  /**
   * Activities changed since `since`, as Moodle's mobile app asks (core_course_get_updates_since):
   * one entry per activity and area, with the time Moodle gives for it when it gives one.
   */
  async updatesSince(
    courseId: number,
    since: Date,
    areas: readonly string[],
  ): Promise<{ cmid: number; area: string; at?: Date }[]> {
    const answer = await callMoodleService<{
      instances: { contextlevel: string; id: number; updates: { name: string; timeupdated?: number }[] }[];
    }>(this.page, 'core_course_get_updates_since', {
      courseid: courseId,
      since: Math.floor(since.getTime() / 1000),
      filter: areas,
    });
    return answer.instances
      .filter((instance) => instance.contextlevel === 'module')
      .flatMap((instance) =>
        instance.updates.map((update) => ({
          cmid: instance.id,
          area: update.name,
          ...(update.timeupdated !== undefined && { at: new Date(update.timeupdated * 1000) }),
        })),
      );
  }
}

/** The value of the settings form's `shortname` field, in the form's HTML, when there is one field. */
export function shortnameFieldValue(html: string): string | undefined {
  const fields = html.match(/<input\b[^>]*\bname="shortname"[^>]*>/gu) ?? [];
  if (fields.length !== 1) return undefined;
  const value = /\bvalue="([^"]*)"/u.exec(fields[0])?.[1];
  return value === undefined ? undefined : decodeHtmlEntities(value);
}
