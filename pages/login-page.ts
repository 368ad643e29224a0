import type { Locator, Page } from 'playwright';
import { expectOne, gotoMoodlePage } from './moodle-page.js';

/** Moodle's login form (`/login/index.php`). */
export class LoginPage {
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(
    readonly page: Page,
    readonly siteUrl: string,
  ) {
    this.form = page.locator('form#login');
    this.username = this.form.locator('input#username[name="username"]');
    this.password = this.form.locator('input#password[name="password"]');
    this.submit = this.form.locator('#loginbtn');
    this.error = page.locator('#loginerrormessage');
  }

  async goto(): Promise<void> {
    await gotoMoodlePage(this.page, `${this.siteUrl}/login/index.php`);
  }

  /** Submits the form; resolves once the browser has left the login page or shown its error. */
  async submitCredentials(username: string, password: string): Promise<'logged-in' | 'refused'> {
    await (await expectOne(this.username, 'login page', 'LoginPage.username')).fill(username);
    const submit = await (await expectOne(this.submit, 'login page', 'LoginPage.submit')).elementHandle();
    // Not fill(): Playwright writes a fill's text into its step titles, hence into HTML reports and traces.
    // The value is set and the form submitted in one go: set on its own, it was sometimes emptied by the
    // page before the click (1 login in 12 right after a harness reset, seen as "Invalid login").
    await (
      await expectOne(this.password, 'login page', 'LoginPage.password')
    ).evaluate(
      (field, [secret, button]) => {
        const input = field as HTMLInputElement;
        input.value = secret;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
        if (!input.form) throw new Error('the password field is in no form');
        input.form.requestSubmit(button as HTMLElement);
      },
      [password, submit] as const,
    );
    return Promise.race([
      this.page
        .locator('body:not(.notloggedin)')
        .waitFor()
        .then(() => 'logged-in' as const),
      this.error.waitFor({ state: 'attached' }).then(() => 'refused' as const),
    ]);
  }

  async isLoggedIn(): Promise<boolean> {
    return (await this.page.locator('body.notloggedin').count()) === 0;
  }
}
