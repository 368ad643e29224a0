import { expect, test } from '@playwright/test';
import {
  configuredRelease,
  knownPrecheckNotice,
  releaseFromUpgradeNotes,
  releaseTraits,
  unexpectedPrecheckNotices,
} from '../../pages/moodle-release.js';
import { MOODLE_RELEASES } from '../../domain/moodle-releases.js';

test("5.0's question-bank notice is benign there and nowhere else; any other notice stops the robot", () => {
  const qbank =
    'The question category "Default for ANG-EC1" will be created at a question bank module context by restore.';
  const newer = 'This backup file has been created with a newer Moodle version.';
  expect(unexpectedPrecheckNotices(releaseTraits('5.0'), [qbank])).toEqual([]);
  expect(unexpectedPrecheckNotices(releaseTraits('5.0'), [qbank, newer])).toEqual([newer]);
  expect(unexpectedPrecheckNotices(releaseTraits('4.5'), [qbank])).toEqual([qbank]);
});

test('the release is read from the upgrade notes every tree ships, whatever the build', () => {
  const upgrading = '# Moodle Upgrade notes\n\nThis file contains …\n\n## 5.0.6+\n\n### core\n\n## 5.0.5\n';
  expect(releaseFromUpgradeNotes('UPGRADING.md', upgrading)).toBe('5.0');
  expect(releaseFromUpgradeNotes('UPGRADING.md', upgrading.replace('5.0.6+', '4.5.5+'))).toBe('4.5');
  // A site answering 200 with its own page for a missing file says nothing.
  expect(releaseFromUpgradeNotes('UPGRADING.md', '<!DOCTYPE html><html>## 5.0')).toBeUndefined();
  const upgradeTxt =
    'This files describes API changes in core libraries and APIs,\n\n=== 4.4.3 ===\n\n* …\n=== 4.4.2 ===\n';
  expect(releaseFromUpgradeNotes('lib/upgrade.txt', upgradeTxt)).toBe('4.4');
  // From 4.5 on, lib/upgrade.txt only points to UPGRADING.md.
  expect(releaseFromUpgradeNotes('lib/upgrade.txt', '=== 4.5 Onwards ===\n')).toBeUndefined();
  // What 4.5 to 5.1 ship (and 5.1 serves alone): that pointer, then the old 4.4 notes. Not 4.4.
  const pointerThenOldNotes =
    '=== 4.5 Onwards ===\n\nThis file has been replaced by UPGRADING.md.\n\n===\n\n=== 4.4 ===\n\n* …\n';
  expect(releaseFromUpgradeNotes('lib/upgrade.txt', pointerThenOldNotes)).toBeUndefined();
});

test("5.1 drives 5.0's screens: its own release name, 5.0's locators and its question-bank notice", () => {
  const traits = releaseTraits('5.1');
  expect(traits.release).toBe('5.1');
  expect({ ...traits, release: '5.0' }).toEqual(releaseTraits('5.0'));
  const qbank =
    'The question category "Default for ANG-EC1" will be created at a question bank module context by restore.';
  expect(unexpectedPrecheckNotices(traits, [qbank])).toEqual([]);
});

test('the configured release is one the robot knows, or none', () => {
  expect(configuredRelease({ MOODLE_VERSION: '5.0' })).toBe('5.0');
  expect(configuredRelease({ MOODLE_VERSION: '' })).toBeUndefined();
  expect(configuredRelease({})).toBeUndefined();
  expect(configuredRelease({ MOODLE_VERSION: '5.1' })).toBe('5.1');
  expect(() => configuredRelease({ MOODLE_VERSION: '5.2' })).toThrow(
    /MOODLE_VERSION must be one of 4.4, 4.5, 5.0, 5.1/,
  );
});

test('a backup made on a newer Moodle is a known notice, refused on every release', () => {
  const newer =
    "This backup file has been created with Moodle 5.0.6+ (Build: 20260403) (2025041406.11) and it's newer than your currently installed Moodle 4.4.2+ (Build: 20240823) (2024042202.03). This could cause some inconsistencies because backwards compatibility of backup files cannot be guaranteed.";
  for (const release of MOODLE_RELEASES) {
    expect(unexpectedPrecheckNotices(releaseTraits(release), [newer])).toEqual([newer]);
    expect(knownPrecheckNotice(releaseTraits(release), newer)).toMatchObject({
      stringId: 'core:noticenewerbackup',
      verdict: 'stop',
    });
  }
  expect(knownPrecheckNotice(releaseTraits('4.5'), 'Something Moodle never said before')).toBeUndefined();
});
