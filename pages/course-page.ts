import type { Locator, Page } from 'playwright';
import { waitForMoodleReady } from './moodle-page.js';

/** A course's main page (`/course/view.php?id=N`): edit mode, the block drawer and its blocks. */
export class CoursePage {
  readonly editSwitch: Locator;
  readonly blockDrawerToggle: Locator;
  readonly addBlockButton: Locator;

  constructor(
    readonly page: Page,
    readonly siteUrl: string,
  ) {
    this.editSwitch = page.locator('form.editmode-switch-form input[name="setmode"]');
    this.blockDrawerToggle = page
      .locator('[data-toggler="drawers"][data-action="toggle"][data-target="theme_boost-drawers-blocks"]')
      .first();
    this.addBlockButton = page.locator('.add_block_button a[data-key="addblock"]').first();
  }

  async goto(courseId: number): Promise<void> {
    await this.page.goto(`${this.siteUrl}/course/view.php?id=${courseId}`);
    await waitForMoodleReady(this.page);
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
    await Promise.all([this.page.waitForURL(/\/course\/view\.php/), this.editSwitch.click()]);
    await this.page.locator('body.editing').waitFor();
    await waitForMoodleReady(this.page);
  }

  block(name: string): Locator {
    return this.page.locator(`section.block[data-block="${name}"]`);
  }

  async hasBlock(name: string): Promise<boolean> {
    return (await this.block(name).count()) > 0;
  }

  /** Adds a block through the "Add a block" dialog; edit mode must be on. */
  async addBlock(name: string): Promise<void> {
    if (!(await this.addBlockButton.isVisible())) await this.blockDrawerToggle.click();
    await this.addBlockButton.click();
    const choice = this.page
      .locator(`.modal a[data-blockname="${name}"], .modal a[href*="bui_addblock=${name}"]`)
      .first();
    await Promise.all([this.page.waitForURL(/\/course\/view\.php/), choice.click()]);
    await this.block(name).waitFor();
    await waitForMoodleReady(this.page);
  }
}
