import type { Page } from 'playwright';
import type { Logger } from 'pino';
import type { BackupBlockTexts } from '../domain/block-texts.js';
import type { MoodleRelease } from '../domain/moodle-releases.js';
import type { RestoreFlags } from '../domain/restore-flags.js';
import type { SettingsProfile } from '../config/profile.js';
import type { EvidenceRun } from '../evidence/recorder.js';
import type { Ledger } from '../ledger/ledger.js';
import type { PrivateAreaTurns } from './private-area-turns.js';

export interface RestoreRobotDeps extends Partial<RestoreFlags> {
  /** A page of a browser context already logged in to vert. */
  page: Page;
  vertUrl: string;
  /** A page of the same browser, logged in to bleu: the previous course is checked there. */
  bleuPage: Page;
  bleuUrl: string;
  blockName: string;
  /** The block's title and its link's text, as vert shows them. */
  backupBlock: BackupBlockTexts;
  /** The release the sites must run (MOODLE_VERSION), when configured. */
  expectedRelease?: MoodleRelease | undefined;
  profile: SettingsProfile;
  ledger: Ledger;
  evidence: EvidenceRun;
  logger: Logger;
  runId: string;
  timeouts: { stepMs: number; copyMs: number; restoreMs: number };
  /** Leave the fetched .mbz in the account's private backup area (removed by default). */
  keepFetchedBackup?: boolean;
  /** Shared with the other workers on the same account: its fetches and removals take turns. */
  privateArea?: PrivateAreaTurns;
  /** Wraps each step, e.g. in a Playwright Test step so a batch report shows it. */
  stepHook?: <T>(name: string, action: () => Promise<T>) => Promise<T>;
}
