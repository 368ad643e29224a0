import type { BrowserContext } from '@playwright/test';

/**
 * Logs a browser context in to a Moodle site without the password passing through Playwright: the
 * login form is posted by Node's own HTTP client and only the session cookie Moodle hands back is given
 * to the browser. Whatever a browser does with a password (a filled field, an evaluate argument, the
 * form's POST body) is written into Playwright's traces; a cookie set from outside is not a password.
 */
export async function logInByHttp(
  context: BrowserContext,
  siteUrl: string,
  account: { username: string; password: string },
): Promise<void> {
  const loginUrl = `${siteUrl}/login/index.php`;
  const form = await fetch(loginUrl, { redirect: 'manual' });
  const token = /name="logintoken"\s+value="([^"]+)"/.exec(await form.text())?.[1];
  if (!token) throw new Error(`${loginUrl} shows no Moodle login form (no logintoken)`);
  const posted = await fetch(loginUrl, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Cookie: cookieHeader(form.headers.getSetCookie()),
    },
    body: new URLSearchParams({ username: account.username, password: account.password, logintoken: token }),
  });
  const location = posted.headers.get('location') ?? '';
  const session = sessionCookies(posted.headers.getSetCookie());
  // Moodle's answer to a login it accepts: a redirect to its session test (login/index.php?testsession=<id>).
  if (posted.status !== 303 || !/[?&]testsession=\d+/.test(location) || session.length === 0)
    throw new Error(
      `${siteUrl} refused the login of ${account.username} (HTTP ${posted.status}, to ${location})`,
    );
  await context.addCookies(session.map(({ name, value }) => ({ name, value, url: siteUrl })));
}

function parse(setCookie: string): { name: string; value: string } {
  const pair = setCookie.split(';', 1)[0] ?? '';
  const equals = pair.indexOf('=');
  return { name: pair.slice(0, equals).trim(), value: pair.slice(equals + 1).trim() };
}

function cookieHeader(setCookies: string[]): string {
  return setCookies
    .map(parse)
    .map(({ name, value }) => `${name}=${value}`)
    .join('; ');
}

/** The session cookies of the answer, without the ones Moodle deletes ("deleted" or empty). */
function sessionCookies(setCookies: string[]): { name: string; value: string }[] {
  return setCookies
    .map(parse)
    .filter(({ name, value }) => name.startsWith('MoodleSession') && value !== '' && value !== 'deleted');
}
