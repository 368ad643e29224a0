import { BackupBlock } from '../../pages/backup-block.js';
import type { Page } from '@playwright/test';
import { PROFILES } from '../../config/profiles/index.js';
import { createLogger } from '../../evidence/logger.js';
import { EvidenceRun } from '../../evidence/recorder.js';
import type { HarnessStatus } from '../../harness/harness.js';
import { LoginPage } from '../../pages/login-page.js';
import { endUserToursWhenShown, gotoMoodlePage } from '../../pages/moodle-page.js';
import type { RestoreRobotDeps } from '../../robots/restore-course.js';
import { restoreCourse } from '../../robots/restore-course.js';
import { SqliteLedger } from '../../ledger/sqlite-ledger.js';
import { logInByHttp } from './login-by-http.js';
import { expect, test } from './moodle-harness.js';
import type { RestoreOutcome } from '../../domain/outcome.js';
import type { RestoreFlags } from '../../domain/restore-flags.js';

export type RobotOptions = Partial<RestoreFlags> &
  Pick<RestoreRobotDeps, 'stepHook'> & {
    bleuPage?: Page;
    bleuShortname?: string;
    /** A ledger shared between runs of one test; the test's own by default. */
    ledgerPath?: string;
    runId?: string;
    timeouts?: RestoreRobotDeps['timeouts'];
  };

/** Runs the robot on one vert course of the harness, as the teacher, with the test's own evidence. */
export async function runRobot(
  page: Page,
  harness: HarnessStatus,
  shortname: string,
  options: RobotOptions = {},
): Promise<{ outcome: RestoreOutcome; evidenceDir: string }> {
  const {
    bleuPage = await bleuPageOf(page, harness),
    bleuShortname,
    ledgerPath,
    runId,
    // Generous: the harness shares two CPUs with the browsers, and a loaded machine has been seen to take 30 s for a page.
    timeouts = { stepMs: 90_000, copyMs: 180_000, restoreMs: 300_000 },
    ...robotOptions
  } = options;
  const evidence = await EvidenceRun.create(test.info().outputPath('evidence'), shortname);
  const ledger = new SqliteLedger(ledgerPath ?? test.info().outputPath('ledger.sqlite'));
  const runLogger = createLogger({ level: 'info', file: test.info().outputPath('run.log'), console: null });
  try {
    const outcome = await restoreCourse(
      {
        courseId: harness.sites.vert.courses[shortname] ?? 0,
        ...(bleuShortname !== undefined && { bleuShortname }),
      },
      {
        page,
        bleuPage,
        vertUrl: harness.sites.vert.url,
        bleuUrl: harness.sites.bleu.url,
        blockName: BackupBlock.NAME,
        backupBlock: BackupBlock.SEED_TEXTS,
        profile: PROFILES['cemu-2425'] ?? (undefined as never),
        ledger,
        evidence,
        logger: runLogger.logger,
        runId: runId ?? `test-${shortname}-${Date.now()}`,
        timeouts,
        ...robotOptions,
      },
    );
    return { outcome, evidenceDir: evidence.dir };
  } finally {
    await ledger.close();
    await runLogger.close();
  }
}

/** A second page of the same browser, logged in to bleu as the teacher (or another account). */
export async function bleuPageOf(
  page: Page,
  harness: HarnessStatus,
  username = harness.teacher,
): Promise<Page> {
  const account = harness.accounts.find((candidate) => candidate.username === username);
  if (!account) throw new Error(`the harness has no account ${username}`);
  const bleuPage = await page.context().newPage();
  await endUserToursWhenShown(bleuPage);
  const login = new LoginPage({ page: bleuPage, url: harness.sites.bleu.url });
  await login.goto();
  // The browser may already hold a bleu session (an earlier run of the same test).
  if (await login.isLoggedIn()) return bleuPage;
  // Not through the form: a password typed into the browser lands in the test's trace.
  await logInByHttp(bleuPage.context(), harness.sites.bleu.url, account);
  await gotoMoodlePage(bleuPage, `${harness.sites.bleu.url}/my/`);
  expect(await login.isLoggedIn()).toBe(true);
  return bleuPage;
}
