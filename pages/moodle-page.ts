import type { Frame, Locator, Page, Response } from 'playwright';
import { describeIdentity, siteIdentity, type SiteIdentity } from './site-identity.js';

/**
 * Moodle's user tours ("Activate edit mode", "Next 1/2", "Skip tour") cover the page at unpredictable
 * moments. Playwright calls this handler whenever a tour step would block an action, and the robot
 * ends the tour, as a teacher would.
 */
export async function endUserToursWhenShown(page: Page): Promise<void> {
  const tourStep = page.locator('[data-role="flexitour-step"]').first();
  await page.addLocatorHandler(
    tourStep,
    async () => {
      // The step can vanish by itself (the page navigates away): then there is nothing left to end.
      await tourStep
        .locator('[data-role="end"]')
        .click({ timeout: 5000 })
        .catch(() => undefined);
    },
    { noWaitAfter: true },
  );
}

/**
 * Boost's pending jobs while a drawer slides open or shut, held for a fixed 300 ms
 * (theme/boost/amd/src/drawers.js).
 */
const DRAWER_SLIDES = ['theme_boost/drawers:open', 'theme_boost/drawers:close'];

/**
 * How often the page's state is read while waiting for it. On a timer, not on animation frames
 * (Playwright's default): a page behind another window of the robot (vert's while bleu is read, the
 * course page behind the restore window) gets a frame only now and then, and a wait on frames took
 * up to a second longer there.
 */
const READINESS_POLL_MS = 25;

/**
 * Moodle's own "page is ready" signal, the one its Behat steps wait for: every pending JavaScript
 * job (AMD modules, templates being rendered, AJAX) has finished, user tours and drawer slides aside.
 */
export async function waitForMoodleReady(page: Page, timeout?: number): Promise<void> {
  try {
    const ready = await page.waitForFunction(
      (drawerSlides) => {
        const moodle = (window as unknown as { M?: { util?: { pending_js?: unknown[] } } }).M;
        // Every Moodle page defines M in its head: a loaded page without it is someone else's answer,
        // Chromium's own error page (chrome-error:) included. A window not navigated yet is about:blank.
        if (document.readyState === 'complete' && moodle === undefined && location.protocol !== 'about:')
          return 'not moodle';
        const pending = moodle?.util?.pending_js;
        // A user tour keeps a job pending until someone ends it: endUserToursWhenShown does, at the
        // next action, so it does not count here. Nor does a drawer sliding open or shut, on nearly
        // every page load: nothing the robot reads or clicks depends on it.
        const blocking = pending?.filter(
          (job) => !String(job).startsWith('tool_usertours/') && !drawerSlides.includes(String(job)),
        );
        return document.readyState === 'complete' && blocking?.length === 0 && 'ready';
      },
      DRAWER_SLIDES,
      { polling: READINESS_POLL_MS, ...(timeout !== undefined && { timeout }) },
    );
    if ((await ready.jsonValue()) === 'not moodle')
      throw new NotMoodleAnswer(page.url(), await whatThePageSays(page));
  } catch (error) {
    if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
    const seen = await page
      .evaluate(() => ({
        pending: (window as unknown as { M?: { util?: { pending_js?: unknown[] } } }).M?.util?.pending_js,
        readyState: document.readyState,
      }))
      .catch(() => undefined);
    const waitingOn =
      seen?.readyState !== undefined && seen.readyState !== 'complete'
        ? `the page itself (document ${seen.readyState}: a request of the page has not finished)`
        : `Moodle's scripts ${JSON.stringify(seen?.pending ?? 'not loaded')}`;
    throw new Error(`${page.url()} never became ready: still waiting on ${waitingOn}`, {
      cause: error,
    });
  }
}

/**
 * Waits until Boost's drawers have finished sliding (the jobs waitForMoodleReady leaves aside): for a
 * drawer the robot opens itself and then photographs.
 */
export async function waitForDrawersToSettle(page: Page): Promise<void> {
  await page.waitForFunction(
    (drawerSlides) => {
      const pending = (window as unknown as { M?: { util?: { pending_js?: unknown[] } } }).M?.util
        ?.pending_js;
      return !(pending ?? []).some((job) => drawerSlides.includes(String(job)));
    },
    DRAWER_SLIDES,
    { polling: READINESS_POLL_MS },
  );
}

/** A page that is not Moodle's: a web server's or a proxy's error page, Moodle's database error, another site. */
export class NotMoodleAnswer extends Error {
  constructor(url: string, said: string, status?: number) {
    super(
      `${url} is not a Moodle page${status === undefined ? '' : ` (HTTP ${status})`}${said ? `: "${said}"` : ''}`,
    );
    this.name = 'NotMoodleAnswer';
  }
}

/** Moodle sent the robot to its login page: the session ended (expired, or closed on the server). */
export class SessionEnded extends Error {
  constructor(requested: string) {
    super(`the Moodle session ended: ${new URL(requested).origin} sent the robot to its login page`);
    this.name = 'SessionEnded';
  }
}

/** Any of Moodle's login pages (the form, a forced password change, an SSO hand-off). */
export function isLoginAddress(address: string): boolean {
  return new URL(address).pathname.includes('/login/');
}

/** The page shows one of Moodle's login pages: the session ended under it (a click, a redirect). */
export function throwIfSentToLogin(page: Page): void {
  if (isLoginAddress(page.url())) throw new SessionEnded(page.url());
}

/** Every Moodle page defines M in its head. */
function isMoodlePage(page: Page): Promise<boolean> {
  return page.evaluate(() => 'M' in window).catch(() => false);
}

/** The page's heading: on a course's pages (the course, its participants), the course's full name. */
export async function pageHeading(page: Page): Promise<string> {
  return (await page.locator('.page-header-headings h1, #page-header h1').first().innerText()).trim();
}

/**
 * What a page says, for a report: a Moodle page's title; for any other page (a web server's error, Moodle's
 * database error) its title and the start of its text, on one line.
 */
export async function whatThePageSays(page: Page): Promise<string> {
  if (await isMoodlePage(page)) return page.title().catch(() => '');
  const [title, text] = await Promise.all([
    page.title().catch(() => ''),
    page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch(() => ''),
  ]);
  const body = text.replace(/\s+/g, ' ').trim().slice(0, 200);
  if (title === '' || body.startsWith(title)) return body || title;
  return body === '' ? title : `${title} | ${body}`;
}

/**
 * Loads a Moodle page and waits until it is ready. An answer that is not Moodle's (an error page of
 * the web server or a proxy) fails at once, naming the HTTP status, instead of waiting for Moodle's
 * scripts until the step times out. Moodle's own error pages load as Moodle pages: callers read them.
 */
export async function gotoMoodlePage(page: Page, url: string): Promise<void> {
  const response = await page.goto(url);
  await expectMoodleAnswer(page, url, response?.status(), viaLoginPage(response));
}

/**
 * Clicks something that takes the page to another of Moodle's pages (a link, a form's button) and
 * waits until that page is ready, failing at once, as gotoMoodlePage does, when the answer is not a
 * Moodle page, a login page, or a page whose address does not match `landsOn`.
 */
export async function clickToMoodlePage(
  page: Page,
  target: Locator,
  landsOn: RegExp,
  timeout?: number,
): Promise<void> {
  const requested = page.url();
  let status: number | undefined;
  let viaLogin = false;
  const onResponse = (response: Response) => {
    if (response.frame() === page.mainFrame() && response.request().isNavigationRequest()) {
      status = response.status();
      viaLogin ||= viaLoginPage(response);
    }
  };
  page.on('response', onResponse);
  try {
    await clickAndWaitForNewPage(page, target, timeout);
  } finally {
    page.off('response', onResponse);
  }
  await expectMoodleAnswer(page, requested, status, viaLogin);
  if (!landsOn.test(new URL(page.url()).pathname))
    throw new Error(
      `expected a page at ${String(landsOn)}, Moodle answered with ${page.url()} "${await whatThePageSays(page)}"`,
    );
}

/**
 * Whether Moodle sent the browser through one of its login pages on the way (a single sign-on then
 * takes it to its own site: the page that loads is not Moodle's, but the session has ended all the same).
 */
function viaLoginPage(response: Response | null): boolean {
  for (let request = response?.request().redirectedFrom(); request; request = request.redirectedFrom())
    if (isLoginAddress(request.url())) return true;
  return false;
}

async function expectMoodleAnswer(
  page: Page,
  requested: string,
  status: number | undefined,
  viaLogin = false,
): Promise<void> {
  if (viaLogin && !isLoginAddress(requested)) throw new SessionEnded(requested);
  if (status !== undefined && status >= 400 && !(await isMoodlePage(page)))
    throw new NotMoodleAnswer(page.url(), await whatThePageSays(page), status);
  if (isLoginAddress(page.url()) && !isLoginAddress(requested)) throw new SessionEnded(requested);
  await waitForMoodleReady(page);
}

/**
 * The page's next main-frame navigation, heard from now on. A page whose scripts were ended by a new
 * document is told of it within moments: the wait is bounded all the same.
 */
function nextMainFrameNavigation(page: Page): { happened: Promise<void>; stopListening: () => void } {
  let heardOrGaveUp: () => void = () => undefined;
  const happened = new Promise<void>((resolve) => {
    heardOrGaveUp = resolve;
  });
  const stopListening = () => {
    clearTimeout(timer);
    page.off('framenavigated', heard);
    heardOrGaveUp();
  };
  const heard = (frame: Frame) => {
    if (frame === page.mainFrame()) stopListening();
  };
  const timer = setTimeout(stopListening, NAVIGATION_NOTICE_MS);
  page.on('framenavigated', heard);
  return { happened, stopListening };
}
const NAVIGATION_NOTICE_MS = 10_000;

/** What a service answers when the session is gone (core/ajax usually sends the page to the login form first). */
const SESSION_GONE_CODES = new Set(['servicerequireslogin', 'requireloginerror']);

/**
 * Calls a Moodle web service the way Moodle's own pages do (core/ajax, with the page's session and
 * sesskey): only services declared for AJAX answer.
 */
export async function callMoodleService<T>(
  page: Page,
  methodname: string,
  args: Record<string, unknown>,
): Promise<T> {
  let answer: { ok: true; value: unknown } | { ok: false; error: string; code?: string | undefined };
  const navigation = nextMainFrameNavigation(page);
  try {
    answer = await page.evaluate(
      async ({ methodname, args }) => {
        type Ajax = { call: (requests: unknown[]) => Promise<unknown>[] };
        const requireJs = (
          window as unknown as { require?: (deps: string[], done: (module: unknown) => void) => void }
        ).require;
        if (typeof requireJs !== 'function')
          return { ok: false as const, error: `${location.href} has no Moodle scripts` };
        const ajax = await new Promise<Ajax>((resolve) => {
          requireJs(['core/ajax'], (module) => {
            resolve(module as Ajax);
          });
        });
        try {
          const [request] = ajax.call([{ methodname, args }]);
          return { ok: true as const, value: await request };
        } catch (error) {
          // core/ajax rejects with Moodle's exception object, or with the failed request itself.
          const failure = error as {
            message?: string;
            errorcode?: string;
            status?: number;
            statusText?: string;
          };
          const said =
            failure.message ??
            failure.errorcode ??
            (failure.status === undefined ? undefined : `HTTP ${failure.status} ${failure.statusText ?? ''}`);
          return {
            ok: false as const,
            error: said?.trim() || 'no answer (connection lost?)',
            code: failure.errorcode,
          };
        }
      },
      { methodname, args },
    );
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (!/context was destroyed|navigation/i.test(message))
      throw new Error(`Moodle's ${methodname} service did not answer: ${message}`, { cause: error });
    // core/ajax sends the page to the login form when the service says the session is gone. The
    // page's scripts ended as the next document came in; its address is known once Playwright hears
    // of the navigation, which can come a moment after.
    await navigation.happened;
    await page.waitForLoadState('load').catch(() => undefined);
    throwIfSentToLogin(page);
    throw new Error(`Moodle's ${methodname} service did not answer: the page left for ${page.url()}`, {
      cause: error,
    });
  } finally {
    navigation.stopListening();
  }
  if (!answer.ok && SESSION_GONE_CODES.has(answer.code ?? '')) throw new SessionEnded(page.url());
  if (!answer.ok) throw new Error(`Moodle's ${methodname} service failed: ${answer.error}`);
  return answer.value as T;
}

/**
 * Clicks something that loads a new page at the same address (every restore stage is a POST to
 * /backup/restore.php, so waiting for the URL proves nothing) and resolves once the new document has
 * loaded. The old document is marked first; the wait ends on a loaded document without the mark.
 */
export async function clickAndWaitForNewPage(page: Page, target: Locator, timeout?: number): Promise<void> {
  await page.evaluate(() => {
    (window as unknown as { ecampusRestoreOldPage?: boolean }).ecampusRestoreOldPage = true;
  });
  await target.click();
  await page.waitForFunction(
    () =>
      (window as unknown as { ecampusRestoreOldPage?: boolean }).ecampusRestoreOldPage !== true &&
      document.readyState === 'complete',
    undefined,
    { polling: READINESS_POLL_MS, ...(timeout !== undefined && { timeout }) },
  );
}

/**
 * A locator the robot is about to use must find exactly one element. When a site shows the screen
 * differently (none, or several), the error says what differs: the screen, the page object's locator,
 * the page, and the site's release and theme. It does not guess why.
 */
export class ScreenDifference extends Error {
  constructor(
    readonly screen: string,
    readonly locatorName: string,
    readonly selector: string,
    readonly found: number,
    url: string,
    readonly site: SiteIdentity = { release: undefined, theme: undefined },
  ) {
    super(
      `${screen}: ${locatorName} (${selector}) finds ${found === 0 ? 'no element' : `${found} elements`} on ${url} (${describeIdentity(site)}): this screen is not the one the robot knows`,
    );
    this.name = 'ScreenDifference';
  }
}

/** Waits (up to `timeout`) until `locator` finds exactly one element; a `ScreenDifference` otherwise. */
export async function expectOne(
  locator: Locator,
  screen: string,
  locatorName: string,
  timeout = 10_000,
): Promise<Locator> {
  await locator
    .first()
    .waitFor({ state: 'attached', timeout })
    .catch((error: unknown) => {
      if (!(error instanceof Error) || error.name !== 'TimeoutError') throw error;
    });
  const found = await locator.count();
  if (found !== 1)
    throw new ScreenDifference(
      screen,
      locatorName,
      String(locator),
      found,
      locator.page().url(),
      await siteIdentity(locator.page()),
    );
  return locator;
}
