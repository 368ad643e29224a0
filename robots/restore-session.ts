import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { chromiumLaunchOptions, ROBOT_VIEWPORT } from '../config/browser.js';
import type { Config, Settings } from '../config/env.js';
import { createLogger } from '../evidence/logger.js';
import { EvidenceRun } from '../evidence/recorder.js';
import { CoursePage } from '../pages/course-page.js';
import { LoginPage } from '../pages/login-page.js';
import { endUserToursWhenShown, gotoMoodlePage, waitForMoodleReady } from '../pages/moodle-page.js';
import { inLoginTurn } from './login-turns.js';
import { restoreCourse, type RestoreOutcome } from './restore-course.js';
import type { Ledger } from './ledger.js';
import { SqliteLedger } from './sqlite-ledger.js';
import { supportMessage } from './support-message.js';

/** A course as the admin names it: vert course id, or short name; bleu's short name when it differs. */
export interface CourseOrder {
  target: { kind: 'id'; id: number } | { kind: 'shortname'; shortname: string };
  bleuShortname?: string;
  label: string;
}

export interface SessionOptions {
  dryRun?: boolean;
  force?: boolean;
  allowEnrolmentLoss?: boolean;
  allowStale?: boolean;
  /** Wraps each robot step (a batch shows them as Playwright Test steps). */
  stepHook?: <T>(name: string, action: () => Promise<T>) => Promise<T>;
  /** Called as each course ends. */
  onOutcome?: (order: CourseOrder, outcome: RestoreOutcome, evidenceDir: string) => void;
  /** Called once the session's browser context is open (the benchmark times Moodle's answers in it). */
  onContext?: (context: BrowserContext) => void;
}

export interface CourseResult {
  course: string;
  outcome: RestoreOutcome;
  evidenceDir: string;
  supportMessage?: { subject: string; body: string; attachments: string[] };
}

export class LoginError extends Error {
  override name = 'LoginError';
}

export interface SitePages {
  vert: Page;
  bleu: Page;
}

/**
 * Logs a browser context in to vert and bleu (same account: the university's single login), or checks
 * that the saved storage state still is. Each site keeps its own page.
 */
export async function logInToBothSites(context: BrowserContext, config: Config): Promise<SitePages> {
  const pages = { vert: await context.newPage(), bleu: await context.newPage() };
  for (const [site, url] of [
    ['vert', config.vertUrl],
    ['bleu', config.bleuUrl],
  ] as const) {
    const page = pages[site];
    await endUserToursWhenShown(page);
    const login = new LoginPage(page, url);
    if (config.credentials.kind === 'password') {
      const { username, password } = config.credentials;
      await inLoginTurn(url, username, async () => {
        await login.goto();
        if ((await login.submitCredentials(username, password)) === 'refused')
          throw new LoginError(`${site} refused the login of ${username}`);
        // The first page after the login, where Moodle writes the account's first-time preferences.
        await waitForMoodleReady(page);
      });
    } else {
      await page.goto(`${url}/my/`);
      if (!(await login.isLoggedIn())) {
        throw new LoginError(
          `the saved session ${config.credentials.storageStatePath} is not logged in to ${site} (${url}): run "ecampus-restore login"`,
        );
      }
      await waitForMoodleReady(page);
    }
  }
  return pages;
}

/** A browser logged in to vert and bleu: with the saved storage state (SSO), or through the login forms. */
export async function openSession(
  config: Config,
): Promise<{ browser: Browser; context: BrowserContext; pages: SitePages }> {
  const browser = await chromium.launch(chromiumLaunchOptions(config.chromiumPath, config.headless));
  try {
    const context = await browser.newContext({
      viewport: ROBOT_VIEWPORT,
      ...(config.credentials.kind === 'storage-state' && {
        storageState: config.credentials.storageStatePath,
      }),
    });
    return { browser, context, pages: await logInToBothSites(context, config) };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * For SSO/CAS sites: a visible browser on vert's login page, then bleu's (with SSO the second login is
 * usually automatic); the user logs in by hand, and the session
 * (cookies) is saved, readable by its owner only. Waits up to ten minutes.
 */
export async function saveSessionInteractively(settings: Settings, file: string): Promise<string> {
  const browser = await chromium.launch(chromiumLaunchOptions(settings.chromiumPath, false));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    for (const url of [settings.vertUrl, settings.bleuUrl]) {
      await page.goto(`${url}/login/index.php`);
      await page.locator('body:not(.notloggedin)').waitFor({ timeout: 10 * 60_000 });
    }
    const target = path.resolve(file);
    await context.storageState({ path: target });
    await chmod(target, 0o600);
    return target;
  } finally {
    await browser.close();
  }
}

/** Vert course id of a short name, through Moodle's course search (exact short name only). */
async function resolveCourseId(page: Page, vertUrl: string, order: CourseOrder): Promise<number | string> {
  if (order.target.kind === 'id') return order.target.id;
  const wanted = order.target.shortname;
  // Moodle's course search page, as a teacher would look the course up (and the evidence of it).
  await gotoMoodlePage(page, `${vertUrl}/course/search.php?search=${encodeURIComponent(wanted)}`);
  const found = (await new CoursePage(page, vertUrl).searchCourses(wanted)).filter(
    (course) => course.shortname === wanted,
  );
  if (found.length === 1 && found[0]) return found[0].id;
  return found.length === 0
    ? `no vert course has the short name "${wanted}" (or this user cannot see it)`
    : `several vert courses have the short name "${wanted}"`;
}

/** Restores one course with pages already logged in; never throws for the course's own problems. */
export async function restoreOrder(
  config: Config,
  order: CourseOrder,
  session: { pages: SitePages; ledger: Ledger; runId: string },
  options: SessionOptions = {},
): Promise<CourseResult> {
  const { pages } = session;
  const evidence = await EvidenceRun.create(config.evidenceDir, order.label);
  const runLogger = createLogger({ level: config.logLevel, file: path.join(evidence.dir, 'run.log') });
  try {
    const courseId = await resolveCourseId(pages.vert, config.vertUrl, order);
    const outcome: RestoreOutcome =
      typeof courseId === 'string'
        ? { status: 'refused', courseId: 0, step: 'find the course', reason: courseId }
        : await restoreCourse(
            { courseId, ...(order.bleuShortname !== undefined && { bleuShortname: order.bleuShortname }) },
            {
              page: pages.vert,
              bleuPage: pages.bleu,
              vertUrl: config.vertUrl,
              bleuUrl: config.bleuUrl,
              blockName: config.blockName,
              profile: config.settingsProfile,
              ledger: session.ledger,
              evidence,
              logger: runLogger.logger,
              runId: session.runId,
              timeouts: config.timeouts,
              dryRun: options.dryRun ?? false,
              force: options.force ?? false,
              allowEnrolmentLoss: options.allowEnrolmentLoss ?? false,
              allowStale: options.allowStale ?? false,
              keepFetchedBackup: config.keepFetchedBackup,
              ...(options.stepHook !== undefined && { stepHook: options.stepHook }),
            },
          );
    if (typeof courseId === 'string') await evidence.capture(pages.vert, 'find the course', 'after');
    const result: CourseResult = { course: order.label, outcome, evidenceDir: evidence.dir };
    if (outcome.status === 'failed') {
      result.supportMessage = await writeSupportMessage(config, order, outcome, evidence);
    }
    options.onOutcome?.(order, outcome, evidence.dir);
    return result;
  } finally {
    await runLogger.close();
    await freshVertPage(pages);
  }
}

/**
 * Closes the course's windows and gives the next course a new vert page. The restore windows open in
 * the renderer of the vert page that opened them, and that renderer kept growing from one course to
 * the next: about 420 MiB after the first, 750 MiB after a dozen, where it stayed (a probe restoring
 * 27 courses in one session). A new page starts a new renderer; the session, its cookies and the
 * browser's cache stay.
 */
async function freshVertPage(pages: SitePages): Promise<void> {
  const context = pages.vert.context();
  // A browser that is gone cannot open a page: the next course meets that on its first step, and says so.
  const fresh = await context.newPage().catch(() => undefined);
  if (fresh !== undefined) {
    await endUserToursWhenShown(fresh);
    pages.vert = fresh;
  }
  for (const other of context.pages()) if (other !== pages.vert && other !== pages.bleu) await other.close();
}

/** Restores the courses one after the other in one logged-in browser; never throws for one course. */
export async function restoreCourses(
  config: Config,
  orders: readonly CourseOrder[],
  options: SessionOptions = {},
): Promise<CourseResult[]> {
  const ledger = new SqliteLedger(config.ledgerPath);
  const runId = new Date().toISOString();
  const { browser, pages } = await openSession(config);
  options.onContext?.(pages.vert.context());
  const results: CourseResult[] = [];
  try {
    for (const order of orders)
      results.push(await restoreOrder(config, order, { pages, ledger, runId }, options));
  } finally {
    await browser.close();
    await ledger.close();
  }
  return results;
}

async function writeSupportMessage(
  config: Config,
  order: CourseOrder,
  outcome: Extract<RestoreOutcome, { status: 'failed' }>,
  evidence: EvidenceRun,
) {
  const screenshots = evidence.manifestSnapshot.screenshots;
  const last = screenshots[screenshots.length - 1];
  const message = supportMessage({
    supportAddress: config.supportEmail,
    courseLabel: order.label,
    vertCourseUrl: `${config.vertUrl}/course/view.php?id=${outcome.courseId}`,
    bleuCourseUrl: `${config.bleuUrl}/course/search.php?search=${encodeURIComponent(order.bleuShortname ?? order.label)}`,
    step: outcome.step,
    error: outcome.reason,
    screenshot: { fileName: last?.file ?? 'none' },
    evidencePath: evidence.dir,
    when: new Date(),
  });
  const file = path.join(evidence.dir, 'support-message.txt');
  await writeFile(file, `${message.subject}\n\n${message.body}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return message;
}
