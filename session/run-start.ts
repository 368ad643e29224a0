import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext } from 'playwright';
import { chromiumLaunchOptions, ROBOT_CONTEXT } from './browser.js';
import type { Config } from '../config/env.js';
import { EvidenceRun } from '../evidence/recorder.js';
import { detectRelease } from '../pages/moodle-release.js';
import {
  classifyError,
  RunStopped,
  type ErrorContext,
  type OperatorError,
} from '../rules/operator-errors.js';
import { logInToBothSites, type SitePages } from './restore-session.js';
import type { Ledger } from '../ledger/ledger.js';
import { openLedger } from '../ledger/open-ledger.js';
import { stackLine } from '../evidence/stack-line.js';

export const RELEASE_STEP = 'check the Moodle release';

export function errorContext(config: Config): ErrorContext {
  return {
    vertUrl: config.vertUrl,
    bleuUrl: config.bleuUrl,
    ledgerPath: config.ledgerPath,
    evidenceDir: config.evidenceDir,
  };
}

/** The ledger, or the run stops before any course: a ledger that cannot be read protects nothing. */
export async function openRunLedger(config: Config): Promise<Ledger> {
  try {
    return await openLedger(config);
  } catch (error) {
    throw runStopped(error, config, 'open the ledger');
  }
}

/**
 * What concerns the whole run, checked once before any course: a browser logged in to vert and bleu,
 * and vert running the release the robot was told (MOODLE_VERSION). A failure stops the run with
 * one line, the screenshots of the pages that were open and the stack in the run's log.
 */
export async function startRun(
  config: Config,
  contextFor?: (browser: Browser) => Promise<BrowserContext>,
): Promise<{ browser: Browser; context: BrowserContext; pages: SitePages }> {
  const browser = await chromium.launch(chromiumLaunchOptions(config.chromiumPath, config.headless));
  let context: BrowserContext | undefined;
  let step = 'log in';
  try {
    context = await (contextFor ?? newRobotContext(config))(browser);
    const pages = await logInToBothSites(context, config);
    step = RELEASE_STEP;
    await detectRelease(pages.vert, config.vertUrl, config.moodleVersion);
    return { browser, context, pages };
  } catch (error) {
    const stop = await recordRunStop(error, config, step, context);
    await browser.close();
    throw stop;
  }
}

function newRobotContext(config: Config) {
  return (browser: Browser) =>
    browser.newContext({
      ...ROBOT_CONTEXT,
      ...(config.credentials.kind === 'storage-state' && {
        storageState: config.credentials.storageStatePath,
      }),
    });
}

/**
 * A whole-run failure with its evidence: a folder `<time>-run-stopped` holding a screenshot of each
 * page that was open, the outcome, and the error's stack in run.log (never on the console).
 */
export async function recordRunStop(
  error: unknown,
  config: Config,
  step: string,
  context: BrowserContext | undefined,
): Promise<RunStopped> {
  if (error instanceof RunStopped) return error;
  const problem = wholeRunProblem(error, config, step);
  let evidence: EvidenceRun | undefined;
  try {
    evidence = await EvidenceRun.create(config.evidenceDir, 'run stopped');
    // The pages that were open; a navigation refused outright can leave its page blank: shown as it is.
    const pages = context?.pages() ?? [];
    const opened = pages.filter((page) => page.url() !== 'about:blank');
    for (const page of opened.length > 0 ? opened : pages.slice(0, 1))
      await evidence.capture(page, step, 'after').catch(() => undefined);
    await evidence.attach('outcome', { status: 'stopped', step, ...problem });
    await appendFile(path.join(evidence.dir, 'run.log'), stackLine(error, step), { mode: 0o600 });
  } catch {
    // The evidence folder itself may be what failed (a full disk): the line still says what happened.
  }
  return new RunStopped(problem, evidence?.dir);
}

export function runStopped(error: unknown, config: Config, step: string): RunStopped {
  return error instanceof RunStopped ? error : new RunStopped(wholeRunProblem(error, config, step));
}

function wholeRunProblem(error: unknown, config: Config, step: string): OperatorError {
  return (
    classifyError(error, errorContext(config)) ?? {
      place: 'the robot',
      cause: `stopped at "${step}": ${error instanceof Error ? (error.message.split('\n')[0] ?? '') : String(error)}`,
      action:
        'nothing was changed; see run.log in the evidence folder, and send it to support if it happens again',
      exitCode: 1,
      wholeRun: true,
    }
  );
}
