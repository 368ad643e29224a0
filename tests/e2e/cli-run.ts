import path from 'node:path';
import { teacherEnvironment, type HarnessStatus } from '../../harness/harness.js';
import type { Account } from './moodle-harness.js';

/** The admin's command, `ecampus-restore <command> ...`, as the tests start it (from the sources). */
export const CLI = [process.execPath, '--import', 'tsx', 'bin/ecampus-restore.ts'] as const;

/**
 * The environment an admin gives the command for the harness's sites, with its evidence and ledger in
 * `outputDir`. The test runner's own PLAYWRIGHT_* settings (report folders) are not the command's.
 */
export function cliEnvironment(
  harness: HarnessStatus,
  account: Account,
  outputDir: string,
): NodeJS.ProcessEnv {
  return {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('PLAYWRIGHT_'))),
    ...teacherEnvironment(harness, account),
    EVIDENCE_DIR: path.join(outputDir, 'evidence'),
    LEDGER_PATH: path.join(outputDir, 'ledger.sqlite'),
    // Generous: two CPUs shared with both Moodle sites.
    STEP_TIMEOUT_MS: '90000',
  };
}
