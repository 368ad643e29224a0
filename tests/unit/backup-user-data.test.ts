import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { expect, test } from '@playwright/test';
import { PROFILES } from '../../config/profiles/index.js';
import type { SettingsProfile } from '../../config/profile.js';
import { sha256Hex } from '../../evidence/manifest-chain.js';
import { readDownloadedBackup } from '../../robots/backup-download.js';
import { checkBackupUserData } from '../../rules/backup-user-data.js';
import { tgzMbz, zipMbz, type FixtureCourse } from './helpers/mbz.js';

const profile = PROFILES['cemu-2425'] as SettingsProfile;
const course = (userData: NonNullable<FixtureCourse['userData']>): FixtureCourse => ({
  shortname: 'MATHS101',
  sections: [{ id: 1, title: 'Intro' }],
  activities: [{ id: 7, sectionId: 1, modulename: 'forum', title: 'News' }],
  userData,
});

const leftovers = () => readdirSync(tmpdir()).filter((name) => name.startsWith('ecampus-restore-backup-'));

test('a backup with identified users is refused when the profile restores none; without users or anonymised passes', async () => {
  const before = leftovers();
  for (const [userData, verdict] of [
    ['none', 'pass'],
    ['anonymised', 'pass'],
    ['identified', 'refuse'],
  ] as const) {
    for (const make of [zipMbz, tgzMbz]) {
      const file = await make(course(userData));
      const body = readFileSync(file);
      const read = await readDownloadedBackup(body);
      if (read.kind !== 'read') throw new Error(read.reason);
      expect(read.sha256).toBe(sha256Hex(body));
      expect(read.bytes).toBe(body.length);
      expect(read.manifestXml).toContain('<moodle_backup>');
      const check = checkBackupUserData(read.contents, profile);
      expect(check.verdict, `${userData} (${make.name})`).toBe(verdict);
      if (check.verdict === 'refuse') expect(check.detail).toMatch(/holds its users' data/);
    }
  }
  expect(leftovers(), 'the temporary copies are gone').toEqual(before);
});

test('a profile that restores users takes a backup with users; a backup that does not say is refused', () => {
  const withUsers = {
    root: profile.root.map((entry) => (entry.setting === 'users' ? { ...entry, desired: true } : entry)),
  };
  expect(checkBackupUserData({ rootSettings: { users: '1', anonymize: '0' } }, withUsers).verdict).toBe(
    'pass',
  );
  expect(checkBackupUserData({ rootSettings: {} }, profile)).toMatchObject({
    verdict: 'refuse',
    detail: expect.stringMatching(/does not say whether it holds users/),
  });
});

test('a download that is no backup is unreadable, and its temporary copy is removed too', async () => {
  const before = leftovers();
  const read = await readDownloadedBackup(Buffer.from('<html>login</html>'));
  expect(read).toMatchObject({ kind: 'unreadable' });
  if (read.kind === 'unreadable') expect(read.reason).not.toContain(tmpdir());
  expect(leftovers()).toEqual(before);
  expect(existsSync(tmpdir())).toBe(true);
});
