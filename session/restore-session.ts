import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright';
import { chromiumLaunchOptions, ROBOT_CONTEXT } from './browser.js';
import type { Config, Settings } from '../config/env.js';
import { writePrivateFile } from '../evidence/file-modes.js';
import { createLogger } from '../evidence/logger.js';
import { EvidenceRun } from '../evidence/recorder.js';
import { CourseServices } from '../pages/course-services.js';
import { endUserToursWhenShown, gotoMoodlePage, waitForMoodleReady } from '../pages/moodle-page.js';
import { loggedInProblem } from './session-expiry.js';
import { inLoginTurn, loginLockDir } from './login-turns.js';
import { privateAreaTurns } from '../robots/private-area-turns.js';
import { failedOutcome, refusedOutcome } from '../rules/outcomes.js';
import { describeError } from '../rules/operator-errors.js';
import { stackLine } from '../evidence/stack-line.js';
import { LoginError, logInWithPassword } from './password-login.js';
import { restoreCourse } from '../robots/restore-course.js';
import type { Ledger } from '../ledger/ledger.js';
import { supportMessage } from '../rules/support-message.js';
import { errorContext, openRunLedger, startRun } from './run-start.js';
import {
  notStartedAfterSessionLoss,
  sessionExpiredReason,
  stoppedBySessionLoss,
} from '../rules/session-loss.js';
import type { RestoreOutcome } from '../domain/outcome.js';
import type { CourseTarget } from '../domain/course-target.js';
import type { RestoreFlags } from '../domain/restore-flags.js';
import { SessionEnded } from '../pages/moodle-page.js';
import { newRunId } from '../rules/run-id.js';

/** A course as the admin names it: vert course id, or short name; bleu's short name when it differs. */
export interface CourseOrder {
  target: CourseTarget;
  bleuShortname?: string;
  label: string;
}

export interface SessionOptions extends Partial<RestoreFlags> {
  /** Wraps each robot step (a batch shows them as Playwright Test steps). */
  stepHook?: <T>(name: string, action: () => Promise<T>) => Promise<T>;
  /** Called as each course ends, its evidence sealed with `chainHead` (recorded in the ledger). */
  onOutcome?: (order: CourseOrder, outcome: RestoreOutcome, evidenceDir: string, chainHead: string) => void;
  /** Called once the session's browser context is open (the benchmark times Moodle's answers in it). */
  onContext?: (context: BrowserContext) => void;
}

export interface CourseResult {
  course: string;
  outcome: RestoreOutcome;
  evidenceDir: string;
  /** The hash the evidence's manifest chain ends at, recorded in the ledger (verify-evidence checks it). */
  evidenceChain: string;
  supportMessage?: { subject: string; body: string; attachments: string[] };
}

export { LoginError };

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
    if (config.credentials.kind === 'password') {
      const { username, password } = config.credentials;
      await inLoginTurn(url, username, () => logInWithPassword(page, site, url, { username, password }), {
        lockDir: loginLockDir(config.ledgerPath),
      });
    } else {
      await page.goto(`${url}/my/`);
      const problem = await loggedInProblem(page, url);
      if (problem !== undefined)
        throw new LoginError(
          sessionExpiredReason(
            `the saved session ${config.credentials.storageStatePath} is not logged in to ${site}: ${problem}`,
          ),
        );
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
      ...ROBOT_CONTEXT,
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
 * (cookies) is saved into a file created readable by its owner only. Waits up to ten minutes.
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
    await writePrivateFile(target, `${JSON.stringify(await context.storageState(), null, 2)}\n`);
    return target;
  } finally {
    await browser.close();
  }
}

async function resolveCourseId(page: Page, vertUrl: string, order: CourseOrder): Promise<number | string> {
  return order.target.kind === 'id' ? order.target.id : vertCourseIdOf(page, vertUrl, order.target.shortname);
}

/** Vert course id of a short name, through Moodle's course search (exact short name only), or why not. */
export async function vertCourseIdOf(page: Page, vertUrl: string, wanted: string): Promise<number | string> {
  // Moodle's course search page, as a teacher would look the course up (and the evidence of it).
  await gotoMoodlePage(page, `${vertUrl}/course/search.php?search=${encodeURIComponent(wanted)}`);
  const found = await new CourseServices({ page, url: vertUrl }).coursesNamed(wanted);
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
  const evidence = await EvidenceRun.create(config.evidenceDir, order.label).catch((error: unknown) =>
    withoutEvidence(config, order, error, options),
  );
  if (!(evidence instanceof EvidenceRun)) return evidence;
  const runLogger = createLogger({ level: config.logLevel, file: path.join(evidence.dir, RUN_LOG) });
  let loggerClosed = false;
  try {
    // The look-up's own problems (no such course) are refusals; a site down, a timeout or a page the
    // robot did not expect fail the course with the operator's one line, the stack in run.log.
    let lookUpFailed: string | undefined;
    const courseId = await resolveCourseId(pages.vert, config.vertUrl, order).catch(
      async (error: unknown) => {
        if (error instanceof SessionEnded)
          return sessionExpiredReason(`${error.message}, looking the course up`);
        await appendFile(path.join(evidence.dir, RUN_LOG), stackLine(error, FIND_STEP), {
          mode: 0o600,
        }).catch(() => undefined);
        lookUpFailed = describeError(error, {
          ...errorContext(config),
          evidenceDir: evidence.dir,
          site: 'vert',
        });
        return lookUpFailed;
      },
    );
    const outcome: RestoreOutcome =
      typeof courseId === 'string'
        ? lookUpFailed === undefined
          ? refusedOutcome(0, FIND_STEP, courseId)
          : failedOutcome(idOf(order), FIND_STEP, lookUpFailed, false)
        : await restoreCourse(
            { courseId, ...(order.bleuShortname !== undefined && { bleuShortname: order.bleuShortname }) },
            {
              page: pages.vert,
              bleuPage: pages.bleu,
              vertUrl: config.vertUrl,
              bleuUrl: config.bleuUrl,
              blockName: config.blockName,
              backupBlock: config.backupBlock,
              expectedRelease: config.moodleVersion,
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
              privateArea: privateAreaTurns(
                path.join(path.dirname(config.ledgerPath), 'account-locks'),
                config.vertUrl,
                config.credentials.kind === 'password'
                  ? config.credentials.username
                  : config.credentials.storageStatePath,
              ),
              ...(options.stepHook !== undefined && { stepHook: options.stepHook }),
            },
          );
    if (typeof courseId === 'string')
      await evidence.capture(pages.vert, FIND_STEP, 'after').catch(() => undefined);
    const message =
      outcome.status === 'failed' ? await writeSupportMessage(config, order, outcome, evidence) : undefined;
    loggerClosed = true;
    await runLogger.close();
    const evidenceChain = await sealEvidence(evidence, session, order.label);
    const result: CourseResult = {
      course: order.label,
      outcome,
      evidenceDir: evidence.dir,
      evidenceChain,
      ...(message !== undefined && { supportMessage: message }),
    };
    options.onOutcome?.(order, outcome, evidence.dir, evidenceChain);
    return result;
  } finally {
    if (!loggerClosed) await runLogger.close();
    await freshVertPage(pages);
  }
}

const RUN_LOG = 'run.log';
const FIND_STEP = 'find the course';
const EVIDENCE_STEP = 'create the evidence folder';

function idOf(order: Pick<CourseOrder, 'target'>): number {
  return order.target.kind === 'id' ? order.target.id : 0;
}

/**
 * A course whose evidence folder cannot be created (a full disk, a folder it may not write): nothing
 * was done on it; it fails with the operator's one line, its stack in the run's log (the folder above,
 * if that can be written at all), and no evidence to seal.
 */
async function withoutEvidence(
  config: Config,
  order: CourseOrder,
  error: unknown,
  options: Pick<SessionOptions, 'onOutcome'>,
): Promise<CourseResult> {
  await appendFile(path.join(config.evidenceDir, RUN_LOG), stackLine(error, EVIDENCE_STEP), {
    mode: 0o600,
  }).catch(() => undefined);
  const outcome = failedOutcome(
    idOf(order),
    EVIDENCE_STEP,
    describeError(error, errorContext(config)),
    false,
  );
  const evidenceChain = 'none (no evidence folder)';
  options.onOutcome?.(order, outcome, config.evidenceDir, evidenceChain);
  return { course: order.label, outcome, evidenceDir: config.evidenceDir, evidenceChain };
}

/** The run's log joins the chain, and the chain's last hash goes into the ledger, outside the folder. */
/** A course left untouched because the session was lost at an earlier one: its outcome, sealed. */
export async function notStartedCourse(
  evidenceDir: string,
  order: Pick<CourseOrder, 'label' | 'target'>,
  session: { ledger: Ledger; runId: string },
  lostAt: string,
): Promise<CourseResult> {
  const outcome = notStartedAfterSessionLoss(idOf(order), lostAt);
  const evidence = await EvidenceRun.create(evidenceDir, order.label).catch(() => undefined);
  // Nothing was done on the course: without an evidence folder, its outcome is said all the same.
  if (evidence === undefined)
    return { course: order.label, outcome, evidenceDir, evidenceChain: 'none (no evidence folder)' };
  await evidence.attach('outcome', outcome);
  const evidenceChain = await sealEvidence(evidence, session, order.label);
  return { course: order.label, outcome, evidenceDir: evidence.dir, evidenceChain };
}

async function sealEvidence(
  evidence: EvidenceRun,
  session: { ledger: Ledger; runId: string },
  courseLabel: string,
): Promise<string> {
  const chainHead = await evidence.seal([{ name: 'run log', file: RUN_LOG }]);
  await session.ledger.recordEvidenceSeal({
    evidencePath: evidence.dir,
    chainHead,
    runId: session.runId,
    courseLabel,
    sealedAt: new Date().toISOString(),
  });
  return chainHead;
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
  const ledger = await openRunLedger(config);
  const runId = newRunId('run');
  const { browser, pages } = await startRun(config).catch(async (error: unknown) => {
    await ledger.close();
    throw error;
  });
  options.onContext?.(pages.vert.context());
  const results: CourseResult[] = [];
  try {
    let lostAt: string | undefined;
    for (const order of orders) {
      if (lostAt !== undefined) {
        // Not started: nothing is read or changed on a course once the session is gone.
        const result = await notStartedCourse(config.evidenceDir, order, { ledger, runId }, lostAt);
        options.onOutcome?.(order, result.outcome, result.evidenceDir, result.evidenceChain);
        results.push(result);
        continue;
      }
      const result = await restoreOrder(config, order, { pages, ledger, runId }, options);
      results.push(result);
      if (stoppedBySessionLoss(result.outcome)) lostAt = `course ${order.label}`;
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
    vertCourseUrl:
      outcome.courseId > 0
        ? `${config.vertUrl}/course/view.php?id=${outcome.courseId}`
        : `${config.vertUrl}/course/search.php?search=${encodeURIComponent(order.label)}`,
    bleuCourseUrl: `${config.bleuUrl}/course/search.php?search=${encodeURIComponent(order.bleuShortname ?? order.label)}`,
    step: outcome.step,
    error: outcome.reason,
    courseEmptied: outcome.courseEmptied,
    screenshot: { fileName: last?.file ?? 'none' },
    evidencePath: evidence.dir,
    when: new Date(),
  });
  await evidence.keep('support message', 'support-message.txt', `${message.subject}\n\n${message.body}\n`);
  return message;
}
