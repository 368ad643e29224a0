import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';

/** The header of stage 8 "Schema", which the seed says to leave as the site offers it. */
export interface SchemaHeaderValues {
  overwriteConf: number | undefined;
  keepRolesAndEnrolments: number | undefined;
  keepGroupsAndGroupings: number | undefined;
}

/** Stage 8 "Schema": course settings, sections and activities to include, and Next. */
export class RestoreSchemaPage extends OnSite {
  readonly form: Locator;
  readonly nextButton: Locator;
  /** "Select all" of the include boxes (the robot ticks each box itself; contract tests find it). */
  readonly selectAllIncluded: Locator;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.form = page.locator('form:has(input[name="_qf__restore_schema_form"])');
    this.nextButton = this.form.locator('#id_submitbutton');
    this.selectAllIncluded = this.form.locator(site.selectors.restoreSchema.selectAllIncluded.all).first();
  }

  private async numericValue(name: string): Promise<number | undefined> {
    const field = this.form.locator(`[name="${name}"]`).first();
    if ((await field.count()) === 0) return undefined;
    const value = await field.inputValue();
    return value === '' ? undefined : Number(value);
  }

  async header(): Promise<SchemaHeaderValues> {
    return {
      overwriteConf: await this.numericValue('setting_course_overwrite_conf'),
      keepRolesAndEnrolments: await this.numericValue('setting_course_keep_roles_and_enrolments'),
      keepGroupsAndGroupings: await this.numericValue('setting_course_keep_groups_and_groupings'),
    };
  }

  /**
   * Sets a "keep current …" field of the header (select 1 = Yes, 0 = No). False when the form does not
   * let it change: absent, or fixed by the site (rendered as text and a hidden input).
   */
  async setKeep(
    field: 'keep_roles_and_enrolments' | 'keep_groups_and_groupings',
    value: boolean,
  ): Promise<boolean> {
    const select = this.form.locator(`select[name="setting_course_${field}"]`);
    if ((await select.count()) !== 1 || !(await select.isEnabled())) return false;
    await select.selectOption(value ? '1' : '0');
    return true;
  }

  /** Include boxes of sections and activities: name → checked. */
  async includes(): Promise<Record<string, boolean>> {
    return this.form
      .locator('input[type="checkbox"][name$="_included"]')
      .evaluateAll((boxes) =>
        Object.fromEntries(
          boxes.map((box) => [(box as HTMLInputElement).name, (box as HTMLInputElement).checked]),
        ),
      );
  }

  async includeEverything(): Promise<void> {
    for (const box of await this.form
      .locator('input[type="checkbox"][name$="_included"]:not(:checked)')
      .all()) {
      if (await box.isEnabled()) await box.check();
    }
  }

  async next(): Promise<void> {
    await expectOne(this.nextButton, 'restore stage 4 Schema', 'RestoreSchemaPage.nextButton');
    await clickAndWaitForNewPage(this.page, this.nextButton);
  }
}
