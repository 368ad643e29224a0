import type { Page } from 'playwright';
import { LoginPage } from '../pages/login-page.js';
import { NotMoodleAnswer, waitForMoodleReady } from '../pages/moodle-page.js';

export class LoginError extends Error {
  override name = 'LoginError';
}

/**
 * Moodle's own login form on one site. A site whose login page is a single sign-on page (CAS,
 * Shibboleth: another host, or no Moodle form) cannot be logged in to with a password: said as such.
 * A refusal names Moodle's words: a wrong password, a locked or a suspended account all read
 * "Invalid login" there.
 */
export async function logInWithPassword(
  page: Page,
  site: 'vert' | 'bleu',
  siteUrl: string,
  credentials: { username: string; password: string },
): Promise<void> {
  const login = new LoginPage({ page, url: siteUrl });
  try {
    await login.goto();
  } catch (error) {
    if (!(error instanceof NotMoodleAnswer) || sameSite(page.url(), siteUrl)) throw error;
    throw new LoginError(`${site} shows a single sign-on page, not Moodle's login form: ${page.url()}`);
  }
  if (!sameSite(page.url(), siteUrl) || (await login.form.count()) === 0)
    throw new LoginError(`${site} shows a single sign-on page, not Moodle's login form: ${page.url()}`);
  if ((await login.submitCredentials(credentials.username, credentials.password)) === 'refused') {
    const said = await login.errorText();
    throw new LoginError(
      `${site} refused the login of ${credentials.username}${said ? ` (Moodle says "${said}")` : ''}`,
    );
  }
  // The first page after the login, where Moodle writes the account's first-time preferences.
  await waitForMoodleReady(page);
}

function sameSite(address: string, siteUrl: string): boolean {
  try {
    return new URL(address).origin === new URL(siteUrl).origin;
  } catch {
    return false;
  }
}
