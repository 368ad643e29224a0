import { chmod, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { chromiumLaunchOptions } from '../config/browser.js';
import type { Config, Settings } from '../config/env.js';
import { createLogger } from '../evidence/logger.js';
import { EvidenceRun } from '../evidence/recorder.js';
import { CoursePage } from '../pages/course-page.js';
import { LoginPage } from '../pages/login-page.js';
import { endUserToursWhenShown, waitForMoodleReady } from '../pages/moodle-page.js';
import { restoreCourse, type RestoreOutcome } from './restore-course.js';
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
  /** Called as each course ends. */
  onOutcome?: (order: CourseOrder, outcome: RestoreOutcome, evidenceDir: string) => void;
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

/** A browser logged in to vert: with the saved storage state (SSO), or through the login form. */
export async function openVertSession(
  config: Config,
): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await chromium.launch(chromiumLaunchOptions(config.chromiumPath, config.headless));
  try {
    const context = await browser.newContext(
      config.credentials.kind === 'storage-state'
        ? { storageState: config.credentials.storageStatePath }
        : {},
    );
    const page = await context.newPage();
    await endUserToursWhenShown(page);
    const login = new LoginPage(page, config.vertUrl);
    if (config.credentials.kind === 'password') {
      await login.goto();
      const answer = await login.submitCredentials(config.credentials.username, config.credentials.password);
      if (answer === 'refused')
        throw new LoginError(`vert refused the login of ${config.credentials.username}`);
    } else {
      await page.goto(`${config.vertUrl}/my/`);
      if (!(await login.isLoggedIn())) {
        throw new LoginError(
          `the saved session ${config.credentials.storageStatePath} is no longer valid: run "ecampus-restore login"`,
        );
      }
    }
    await waitForMoodleReady(page);
    return { browser, context, page };
  } catch (error) {
    await browser.close();
    throw error;
  }
}

/**
 * For SSO/CAS sites: a visible browser on vert's login page; the user logs in by hand, and the session
 * (cookies) is saved, readable by its owner only. Waits up to ten minutes.
 */
export async function saveSessionInteractively(settings: Settings, file: string): Promise<string> {
  const browser = await chromium.launch(chromiumLaunchOptions(settings.chromiumPath, false));
  try {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${settings.vertUrl}/login/index.php`);
    await page.locator('body:not(.notloggedin)').waitFor({ timeout: 10 * 60_000 });
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
  const found = (await new CoursePage(page, vertUrl).searchCourses(wanted)).filter(
    (course) => course.shortname === wanted,
  );
  if (found.length === 1 && found[0]) return found[0].id;
  return found.length === 0
    ? `no vert course has the short name "${wanted}" (or this user cannot see it)`
    : `several vert courses have the short name "${wanted}"`;
}

/** Restores the courses one after the other in one logged-in browser; never throws for one course. */
export async function restoreCourses(
  config: Config,
  orders: readonly CourseOrder[],
  options: SessionOptions = {},
): Promise<CourseResult[]> {
  const ledger = new SqliteLedger(config.ledgerPath);
  const runId = new Date().toISOString();
  const { browser, context, page } = await openVertSession(config);
  const results: CourseResult[] = [];
  try {
    for (const order of orders) {
      const evidence = await EvidenceRun.create(config.evidenceDir, order.label);
      const runLogger = createLogger({ level: config.logLevel, file: path.join(evidence.dir, 'run.log') });
      try {
        await page.goto(`${config.vertUrl}/my/`);
        await waitForMoodleReady(page);
        const courseId = await resolveCourseId(page, config.vertUrl, order);
        const outcome: RestoreOutcome =
          typeof courseId === 'string'
            ? { status: 'refused', courseId: 0, step: 'find the course', reason: courseId }
            : await restoreCourse(
                {
                  courseId,
                  ...(order.bleuShortname !== undefined && { bleuShortname: order.bleuShortname }),
                },
                {
                  page,
                  vertUrl: config.vertUrl,
                  blockName: config.blockName,
                  profile: config.settingsProfile,
                  ledger,
                  evidence,
                  logger: runLogger.logger,
                  runId,
                  timeouts: config.timeouts,
                  dryRun: options.dryRun ?? false,
                  force: options.force ?? false,
                  allowEnrolmentLoss: options.allowEnrolmentLoss ?? false,
                },
              );
        const result: CourseResult = { course: order.label, outcome, evidenceDir: evidence.dir };
        if (outcome.status === 'failed') {
          result.supportMessage = await writeSupportMessage(config, order, outcome, evidence);
        }
        results.push(result);
        options.onOutcome?.(order, outcome, evidence.dir);
      } finally {
        await runLogger.close();
        for (const other of context.pages()) if (other !== page) await other.close();
      }
    }
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
