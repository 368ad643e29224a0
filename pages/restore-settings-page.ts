import type { Locator, Page } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import type { RootSettingName } from '../config/profile.js';
import type { ObservedSetting, SettingValue } from '../robots/settings-plan.js';

/** Stage 4 "Settings": the root settings (`setting_root_<name>`), and Next. */
export class RestoreSettingsPage {
  readonly form: Locator;
  readonly nextButton: Locator;

  constructor(
    readonly page: Page,
    /** Field name of a root setting on this release (4.4 calls customfield "customfields"). */
    readonly fieldName: (setting: RootSettingName) => string = (setting) => `setting_root_${setting}`,
  ) {
    this.form = page.locator('form:has(input[name="_qf__restore_settings_form"])');
    this.nextButton = this.form.locator('#id_submitbutton');
  }

  private field(setting: RootSettingName): Locator {
    return this.form.locator(`#id_${this.fieldName(setting)}`);
  }

  /** What the form offers for a setting: editable (with its value), locked (static + hidden), or absent. */
  async observe(setting: RootSettingName): Promise<ObservedSetting> {
    const name = this.fieldName(setting);
    const field = this.field(setting);
    if ((await field.count()) > 0) {
      const tag = await field.evaluate((element) => element.tagName.toLowerCase());
      const disabled = await field.isDisabled();
      if (tag === 'select') {
        const value = Number(await field.inputValue());
        const options = await field
          .locator('option')
          .evaluateAll((items) => items.map((item) => Number((item as HTMLOptionElement).value)));
        return disabled ? { state: 'locked', value } : { state: 'editable', value, options };
      }
      const value = await field.isChecked();
      return disabled ? { state: 'locked', value } : { state: 'editable', value };
    }
    const hidden = this.form.locator(`input[type="hidden"][name="${name}"]`);
    if ((await hidden.count()) > 0) {
      const raw = await hidden.first().inputValue();
      return { state: 'locked', value: setting === 'enrolments' ? Number(raw) : raw === '1' };
    }
    return { state: 'absent' };
  }

  async set(setting: RootSettingName, value: SettingValue): Promise<void> {
    const field = this.field(setting);
    if (typeof value === 'boolean') await field.setChecked(value);
    else await field.selectOption(String(value));
  }

  async next(): Promise<void> {
    await expectOne(this.nextButton, 'restore stage 3 Settings', 'RestoreSettingsPage.nextButton');
    await clickAndWaitForNewPage(this.page, this.nextButton);
  }
}
