import type { Locator } from 'playwright';
import { expectOne, gotoMoodlePage } from './moodle-page.js';
import { OnSite, type SiteSession } from './moodle-site.js';

const FORM = 'form#login';
const PASSWORD = 'input#password[name="password"]';
const SUBMIT = '#loginbtn';

/** Moodle's login form (`/login/index.php`): the same on every release and theme the robot knows. */
export class LoginPage extends OnSite<SiteSession> {
  readonly form: Locator;
  readonly username: Locator;
  readonly password: Locator;
  readonly submit: Locator;
  readonly error: Locator;

  constructor(site: SiteSession) {
    super(site);
    const { page } = this;
    this.form = page.locator(FORM);
    this.username = this.form.locator('input#username[name="username"]');
    this.password = this.form.locator(PASSWORD);
    this.submit = this.form.locator(SUBMIT);
    this.error = page.locator('#loginerrormessage');
  }

  async goto(): Promise<void> {
    await gotoMoodlePage(this.page, `${this.siteUrl}/login/index.php`);
  }

  /** Submits the form; resolves once the browser has left the login page or shown its error. */
  async submitCredentials(username: string, password: string): Promise<'logged-in' | 'refused'> {
    await (await expectOne(this.username, 'login page', 'LoginPage.username')).fill(username);
    await expectOne(this.submit, 'login page', 'LoginPage.submit');
    await expectOne(this.password, 'login page', 'LoginPage.password');
    // Not fill(): Playwright writes a fill's text into its step titles, hence into HTML reports and traces.
    // The value is set and the form submitted in one go: set on its own, it was sometimes emptied by the
    // page before the click (1 login in 12 right after a harness reset, seen as "Invalid login"). The
    // fields are looked up at that very moment: Moodle's "show password" toggle (core/togglesensitive)
    // replaces the field through its outerHTML when its script runs, and a field found before that was
    // no longer in any form (seen on 5.0).
    await this.page.evaluate(
      ([secret, selectors]) => {
        const form = document.querySelector<HTMLFormElement>(selectors.form);
        const input = form?.querySelector<HTMLInputElement>(selectors.password);
        if (!form || !input) throw new Error('the login form has no password field');
        input.value = secret;
        input.dispatchEvent(new Event('input', { bubbles: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
        form.requestSubmit(form.querySelector<HTMLElement>(selectors.submit));
      },
      [password, { form: FORM, password: PASSWORD, submit: SUBMIT }] as const,
    );
    return Promise.race([
      this.page
        .locator('body:not(.notloggedin)')
        .waitFor()
        .then(() => 'logged-in' as const),
      this.error.waitFor({ state: 'attached' }).then(() => 'refused' as const),
    ]);
  }

  /** The refusal Moodle shows under the form ("Invalid login, please try again"). */
  async errorText(): Promise<string> {
    return ((await this.error.textContent().catch(() => '')) ?? '').replace(/\s+/g, ' ').trim();
  }

  /**
   * Why the page shown is not Moodle's own login form of this site (a single sign-on's page, another
   * site), or undefined when it is: the form with its username and password fields.
   */
  async notMoodleForm(): Promise<string | undefined> {
    const at = new URL(this.page.url());
    if (at.origin !== new URL(this.siteUrl).origin) return `sent to ${at.origin}${at.pathname}`;
    if ((await this.username.count()) !== 1 || (await this.password.count()) !== 1)
      return `${at.origin}${at.pathname} has no Moodle login form (form#login with #username and #password)`;
    return undefined;
  }

  async isLoggedIn(): Promise<boolean> {
    return (await this.page.locator('body.notloggedin').count()) === 0;
  }
}
