import type { Locator } from 'playwright';
import { clickAndWaitForNewPage, expectOne } from './moodle-page.js';
import { OnSite, type SiteContext } from './moodle-site.js';
import type { RootSettingName, ObservedSetting, SettingValue } from '../domain/restore-settings.js';

/** Stage 4 "Settings": the root settings (`setting_root_<name>`), and Next. */
export class RestoreSettingsPage extends OnSite {
  readonly form: Locator;
  readonly nextButton: Locator;
  /** The form found once, for all the settings read from it. */
  private formFound: Promise<Locator> | undefined;

  /** Field name of a root setting on this release (4.4 calls customfield "customfields"). */
  readonly fieldName: (setting: RootSettingName) => string;

  constructor(site: SiteContext) {
    super(site);
    const { page } = this;
    this.fieldName = site.selectors.restoreSettings.rootSettingField;
    this.form = page.locator('form:has(input[name="_qf__restore_settings_form"])');
    this.nextButton = this.form.locator('#id_submitbutton');
  }

  private field(setting: RootSettingName): Locator {
    return this.form.locator(`#id_${this.fieldName(setting)}`);
  }

  /**
   * What the form offers for a setting: editable (with its value), locked (static + hidden), or absent.
   * Read in one call into the page: the form has some twenty settings, read twice a run.
   */
  async observe(setting: RootSettingName): Promise<ObservedSetting> {
    const name = this.fieldName(setting);
    this.formFound ??= expectOne(this.form, 'restore stage 3 Settings', 'RestoreSettingsPage.form');
    await this.formFound;
    const seen = await this.form.evaluate((form, fieldName) => {
      const field = form.querySelector<HTMLInputElement | HTMLSelectElement>(`#id_${fieldName}`);
      if (field instanceof HTMLSelectElement)
        return {
          kind: 'select' as const,
          disabled: field.matches(':disabled'),
          value: Number(field.value),
          options: Array.from(field.options, (option) => Number(option.value)),
        };
      if (field instanceof HTMLInputElement)
        return { kind: 'checkbox' as const, disabled: field.matches(':disabled'), value: field.checked };
      const hidden = form.querySelector<HTMLInputElement>(`input[type="hidden"][name="${fieldName}"]`);
      return hidden === null ? { kind: 'absent' as const } : { kind: 'hidden' as const, raw: hidden.value };
    }, name);
    switch (seen.kind) {
      case 'select':
        return seen.disabled
          ? { state: 'locked', value: seen.value }
          : { state: 'editable', value: seen.value, options: seen.options };
      case 'checkbox':
        return seen.disabled
          ? { state: 'locked', value: seen.value }
          : { state: 'editable', value: seen.value };
      case 'hidden':
        return { state: 'locked', value: setting === 'enrolments' ? Number(seen.raw) : seen.raw === '1' };
      case 'absent':
        return { state: 'absent' };
    }
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
