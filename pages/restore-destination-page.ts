import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/** Stage 2 "Destination": the "Restore into this course" part (radios `target` 0 and 1). */
export class RestoreDestinationPage extends OnSite {
  readonly currentCourse: Locator;
  readonly continueButton: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.currentCourse = page.locator('.bcs-current-course');
    this.continueButton = this.currentCourse.locator('input[type="submit"].btn-primary');
  }

  /** The `target` values "Restore into this course" offers (0 delete then restore, 1 merge). */
  async offeredTargets(): Promise<number[]> {
    const values = await this.currentCourse
      .locator('input[name="target"]')
      .evaluateAll((inputs) => inputs.map((input) => Number((input as HTMLInputElement).value)));
    return values.filter((value) => Number.isInteger(value));
  }

  async chooseTarget(target: number): Promise<void> {
    const radio = this.currentCourse.locator(`input[name="target"][value="${target}"]`);
    await (await expectOne(radio, 'restore stage 2 Destination', `target ${target} radio`)).check();
  }

  async chosenTarget(): Promise<number | undefined> {
    const checked = this.currentCourse.locator('input[name="target"]:checked');
    return (await checked.count()) > 0 ? Number(await checked.inputValue()) : undefined;
  }

  /** Continue of this part only: Enter would run the course search instead. */
  async continue(): Promise<void> {
    await expectOne(
      this.continueButton,
      'restore stage 2 Destination',
      'RestoreDestinationPage.continueButton',
    );
    await clickAndWaitForNewPage(this.page, this.continueButton);
  }
}
