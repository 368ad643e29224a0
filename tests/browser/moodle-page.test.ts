import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import { CHROMIUM_FLAGS } from '../../session/browser.js';
import {
  callMoodleService,
  clickToMoodlePage,
  gotoMoodlePage,
  SessionEnded,
  waitForDrawersToSettle,
} from '../../pages/moodle-page.js';

test.use({
  launchOptions: {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [...CHROMIUM_FLAGS],
  },
});

// Just enough of Moodle for the page helpers: M with an empty list of pending jobs.
const MOODLE_PAGE = (body: string) =>
  `<!doctype html><html><head><title>Moodle</title><script>var M = { util: { pending_js: [] } };</script></head><body>${body}</body></html>`;

let server: Server;
let baseUrl: string;

test.beforeAll(async () => {
  server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname === '/course/view.php' && url.searchParams.get('id') === '2') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(MOODLE_PAGE('<h1>Course</h1>'));
    } else if (url.pathname === '/course/view.php') {
      response.writeHead(303, { location: '/login/index.php' }).end();
    } else if (url.pathname === '/login/index.php') {
      response.writeHead(200, { 'content-type': 'text/html' }).end(MOODLE_PAGE('<form id="login"></form>'));
    } else if (url.pathname === '/pending') {
      // A page that keeps the given jobs pending for 3 s, as Moodle's scripts do while they work.
      const jobs = JSON.stringify(url.searchParams.getAll('job'));
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          `<!doctype html><html><head><title>Moodle</title><script>var M = { util: { pending_js: ${jobs} } }; setTimeout(() => { M.util.pending_js = []; }, 3000);</script></head><body><h1>Pending</h1></body></html>`,
        );
    } else if (url.pathname === '/links') {
      const links = ['/course/view.php?id=2', '/proxy-down', '/course/view.php?id=3', '/closed']
        .map((href) => `<a href="${href}">${href}</a>`)
        .join(' ');
      response.writeHead(200, { 'content-type': 'text/html' }).end(MOODLE_PAGE(links));
    } else if (url.pathname === '/service') {
      // Moodle's core/ajax as it answers a service call once the session is gone: by sending the page
      // to the login form (or, with `nosessionupdate`, by rejecting with the error code).
      const answer =
        url.searchParams.get('answer') === 'redirect'
          ? `setTimeout(() => { window.location = '/login/index.php?loginredirect=1'; }, 50); return [new Promise(() => {})];`
          : `return [Promise.reject({ errorcode: 'servicerequireslogin', message: 'Web service requires login' })];`;
      response
        .writeHead(200, { 'content-type': 'text/html' })
        .end(
          MOODLE_PAGE(
            `<script>window.require = (deps, done) => done({ call: () => { ${answer} } });</script><h1>Service</h1>`,
          ),
        );
    } else if (url.pathname === '/closed') {
      request.socket.destroy();
    } else if (url.pathname === '/proxy-down') {
      response
        .writeHead(502, { 'content-type': 'text/html' })
        .end(
          '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>',
        );
    } else {
      response
        .writeHead(503, { 'content-type': 'text/html' })
        .end(
          '<html><head><title>Error</title></head><body><p>Error: Database connection failed</p><p>It is possible that the database is overloaded.</p></body></html>',
        );
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

test('a Moodle page loads and is waited for', async ({ page }) => {
  await gotoMoodlePage(page, `${baseUrl}/course/view.php?id=2`);
  await expect(page.locator('h1')).toHaveText('Course');
});

test('a page is ready once its scripts are done: a drawer sliding or a user tour does not hold it up', async ({
  page,
}) => {
  const readyAfter = async (...jobs: string[]) => {
    const started = Date.now();
    await gotoMoodlePage(
      page,
      `${baseUrl}/pending?${jobs.map((job) => `job=${encodeURIComponent(job)}`).join('&')}`,
    );
    return Date.now() - started;
  };
  expect(await readyAfter('theme_boost/drawers:open', 'theme_boost/drawers:close')).toBeLessThan(2500);
  expect(await readyAfter('tool_usertours/tour:start')).toBeLessThan(2500);
  expect(await readyAfter('core/templates:doRender', 'theme_boost/drawers:open')).toBeGreaterThanOrEqual(
    3000,
  );

  // A drawer the robot opens itself, to photograph it, is waited for until it has slid open.
  expect(await readyAfter('theme_boost/drawers:open')).toBeLessThan(2500);
  const started = Date.now();
  await waitForDrawersToSettle(page);
  expect(Date.now() - started).toBeGreaterThan(500);
});

test('an answer that is not Moodle fails as such (not as a wait for its scripts), with its status and what it says', async ({
  page,
}) => {
  await expect(gotoMoodlePage(page, `${baseUrl}/proxy-down`)).rejects.toThrow(
    `${baseUrl}/proxy-down is not a Moodle page (HTTP 502): "502 Bad Gateway nginx"`,
  );
  await expect(gotoMoodlePage(page, `${baseUrl}/database`)).rejects.toThrow(
    /is not a Moodle page \(HTTP 503\): "Error: Database connection failed It is possible/,
  );
});

test('being sent to the login page is named as the end of the session', async ({ page }) => {
  await expect(gotoMoodlePage(page, `${baseUrl}/course/view.php?id=3`)).rejects.toThrow(
    `the Moodle session ended: ${baseUrl} sent the robot to its login page`,
  );
  await gotoMoodlePage(page, `${baseUrl}/login/index.php`);
});

test("a service call that meets the session's end says so, whether core/ajax sends the page to the login form or answers with the error", async ({
  page,
}) => {
  for (const answer of ['redirect', 'error']) {
    await gotoMoodlePage(page, `${baseUrl}/service?answer=${answer}`);
    await expect(
      callMoodleService(page, 'core_courseformat_get_state', { courseid: 2 }),
      answer,
    ).rejects.toThrow(SessionEnded);
  }
});

test('a click that leads to a page fails at once when the answer is not the Moodle page expected', async ({
  page,
}) => {
  const click = async (href: string, landsOn = /\/course\/view\.php$/) => {
    await gotoMoodlePage(page, `${baseUrl}/links`);
    await clickToMoodlePage(page, page.locator(`a[href="${href}"]`), landsOn, 10_000);
  };
  await click('/course/view.php?id=2');
  await expect(page.locator('h1')).toHaveText('Course');
  await expect(click('/proxy-down')).rejects.toThrow(/proxy-down is not a Moodle page \(HTTP 502\)/);
  await expect(click('/course/view.php?id=3')).rejects.toThrow(/the Moodle session ended/);
  await expect(click('/closed')).rejects.toThrow(/is not a Moodle page: .*ERR_EMPTY_RESPONSE/);
  await expect(click('/course/view.php?id=2', /\/backup\/restore\.php$/)).rejects.toThrow(
    /expected a page at .*restore.*, Moodle answered with .*course\/view\.php\?id=2 "Moodle"/,
  );
});
