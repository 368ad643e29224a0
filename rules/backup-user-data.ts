import type { SettingsProfile } from '../config/profile.js';
import type { BackupContents } from '../backup-file/backup-contents.js';
import type { Verdict } from './verdict.js';

/**
 * Whether a backup holds people's data, by the root settings its moodle_backup.xml was made with:
 * `users` (enrolled users, their posts, grades...) and `anonymize` (those users renamed).
 */
export type BackupUserData = 'none' | 'anonymised' | 'identified' | 'unknown';

export function userDataOf(contents: Pick<BackupContents, 'rootSettings'>): BackupUserData {
  const { users, anonymize } = contents.rootSettings;
  if (users === '0') return 'none';
  if (users !== '1') return 'unknown';
  return anonymize === '1' ? 'anonymised' : 'identified';
}

export type UserDataVerdict = Verdict<{ userData: BackupUserData }>;

/**
 * A restore that brings no users has no use for their data: a backup holding identified users (or
 * not saying) is refused when the profile restores none, before anything is changed. The seed's
 * platform serves backups without users or with anonymised ones, and those pass.
 */
export function checkBackupUserData(
  contents: Pick<BackupContents, 'rootSettings'>,
  profile: Pick<SettingsProfile, 'root'>,
): UserDataVerdict {
  const userData = userDataOf(contents);
  const restoresUsers = profile.root.some((entry) => entry.setting === 'users' && entry.desired === true);
  if (restoresUsers || userData === 'none' || userData === 'anonymised') return { verdict: 'pass', userData };
  return {
    verdict: 'refuse',
    detail:
      userData === 'identified'
        ? "the backup holds its users' data (made with users included and not anonymised), and this restore brings no users: ask for a backup without users or with anonymised users"
        : 'the backup does not say whether it holds users (no "users" setting in its moodle_backup.xml), and this restore brings no users',
  };
}
