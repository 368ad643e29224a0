import { expect, test } from '@playwright/test';
import { releaseTraits, unexpectedPrecheckNotices } from '../../pages/moodle-release.js';

test('4.4 names the custom fields setting "customfields"; 4.5 and 5.0 "customfield"', () => {
  expect(releaseTraits('4.4').rootSettingField('customfield')).toBe('setting_root_customfields');
  expect(releaseTraits('4.5').rootSettingField('customfield')).toBe('setting_root_customfield');
  expect(releaseTraits('5.0').rootSettingField('customfield')).toBe('setting_root_customfield');
  expect(releaseTraits('4.4').rootSettingField('users')).toBe('setting_root_users');
});

test("5.0's question-bank notice is benign there and nowhere else; any other notice stops the robot", () => {
  const qbank =
    'The question category "Default for ANG-EC1" will be created at a question bank module context by restore.';
  const newer = 'This backup file has been created with a newer Moodle version.';
  expect(unexpectedPrecheckNotices(releaseTraits('5.0'), [qbank])).toEqual([]);
  expect(unexpectedPrecheckNotices(releaseTraits('5.0'), [qbank, newer])).toEqual([newer]);
  expect(unexpectedPrecheckNotices(releaseTraits('4.5'), [qbank])).toEqual([qbank]);
});
