import type { Page } from 'playwright';
import type { RootSettingName } from '../config/profile.js';

/**
 * The one place that knows how Moodle 4.4, 4.5 and 5.0 differ on the screens the robot drives
 * (shared/reference/moodle-restore-ui-versions.md). Page objects ask it; nothing else branches on
 * the release.
 */
export const MOODLE_RELEASES = ['4.4', '4.5', '5.0'] as const;
export type MoodleRelease = (typeof MOODLE_RELEASES)[number];

export interface ReleaseTraits {
  release: MoodleRelease;
  /** Form field name of a root setting at the Settings stage. */
  readonly rootSettingField: (setting: RootSettingName) => string;
  /**
   * Precheck notices that ask only for Continue and change nothing the procedure cares about, each
   * with the text Moodle shows (English and French) and why it is benign. Any other notice stops the
   * robot before the restore executes.
   */
  benignPrecheckNotices: readonly { stringId: string; texts: readonly RegExp[]; why: string }[];
}

const standardField = (setting: RootSettingName) => `setting_root_${setting}`;

const TRAITS: Record<MoodleRelease, ReleaseTraits> = {
  '4.4': {
    release: '4.4',
    // 4.4 names the custom fields setting "customfields" (backup/moodle2/restore_root_task.class.php).
    rootSettingField: (setting) =>
      setting === 'customfield' ? 'setting_root_customfields' : standardField(setting),
    benignPrecheckNotices: [],
  },
  '4.5': { release: '4.5', rootSettingField: standardField, benignPrecheckNotices: [] },
  '5.0': {
    release: '5.0',
    rootSettingField: standardField,
    benignPrecheckNotices: [
      {
        stringId: 'backup:qcategory2coursefallback',
        texts: [/will be created at a question bank module context by restore/i],
        why: "5.0 moves a 4.x course's question categories into a question bank activity; the questions are restored",
      },
    ],
  },
};

export function releaseTraits(release: MoodleRelease): ReleaseTraits {
  return TRAITS[release];
}

/**
 * Which release a site runs, from files only some releases ship (language-independent, readable
 * without logging in): mod_qbank arrived in 5.0, mod_subsection in 4.5.
 */
export async function detectRelease(page: Page, siteUrl: string): Promise<MoodleRelease> {
  const has = async (file: string) => (await page.request.get(`${siteUrl}/${file}`)).status() === 200;
  if (await has('mod/qbank/pix/monologo.svg')) return '5.0';
  if (await has('mod/subsection/pix/monologo.svg')) return '4.5';
  if (await has('mod/forum/pix/monologo.svg')) return '4.4';
  throw new Error(
    `${siteUrl} does not look like Moodle 4.4 or later (mod/forum/pix/monologo.svg not served)`,
  );
}

/** Notices that are not known to be benign on this release. */
export function unexpectedPrecheckNotices(traits: ReleaseTraits, notices: readonly string[]): string[] {
  return notices.filter(
    (notice) =>
      !traits.benignPrecheckNotices.some((benign) => benign.texts.some((text) => text.test(notice))),
  );
}
