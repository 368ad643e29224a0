import type { Locator } from 'playwright';
import {
  clickToMoodlePage,
  expectOne,
  gotoMoodlePage,
  pageHeading,
  waitForDrawersToSettle,
  whatThePageSays,
} from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/**
 * A course's main page (`/course/view.php?id=N`): edit mode, the blocks and how to add one. The
 * themes draw these differently; the site's selectors (pages/site-selectors.ts) are its theme's:
 * Boost's edit-mode switch or Classic's "Turn editing on" button (both ask course/view.php or
 * editmode.php to turn editing on); Boost's "Add a block" link or Classic's "Add a block" block
 * (both lead to the page's address with `bui_addblock`); Boost's block drawer, which Classic has not.
 */
export class CoursePage extends OnSite {
  readonly editSwitch: Locator;
  /** Undefined on a theme without a block drawer (Classic shows its blocks in side columns). */
  readonly blockDrawerToggle: Locator | undefined;
  readonly blockDrawerShown: Locator | undefined;
  readonly addBlockButton: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    const { course } = site.selectors;
    this.editSwitch = page.locator(course.editModeControl);
    this.blockDrawerToggle =
      course.blockDrawerToggle === undefined ? undefined : page.locator(course.blockDrawerToggle).first();
    this.blockDrawerShown =
      course.blockDrawerShown === undefined ? undefined : page.locator(course.blockDrawerShown).first();
    this.addBlockButton = page.locator(course.addBlockControl).first();
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
    return this.blockDrawerToggle !== undefined && (await this.blockDrawerToggle.count()) > 0;
  }

  /**
   * Opens the block drawer when it is closed (Moodle remembers the user's choice), and waits until it
   * has slid open: a screenshot taken meanwhile would show it half-way. True when it was closed; false
   * too on a page without a drawer.
   */
  async openBlockDrawer(): Promise<boolean> {
    const { blockDrawerToggle: toggle, blockDrawerShown: shown } = this;
    if (toggle === undefined || shown === undefined || !(await this.hasBlockDrawer())) return false;
    const closed = await toggle.isVisible();
    if (closed) await toggle.click();
    await shown.waitFor();
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
    const { blockDrawerToggle: toggle, blockDrawerShown: shown } = this;
    if (toggle === undefined || shown === undefined) return;
    await shown.locator('[data-toggler="drawers"][data-action="closedrawer"]').first().click({ force: true });
    await toggle.waitFor();
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
}
