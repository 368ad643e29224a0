import { expect, test } from '@playwright/test';
import { ENROLMENTS, ROOT_SETTING_NAMES, settingsProfileSchema } from '../../config/profile.js';
import cemu from '../../config/profiles/cemu-2425.js';
import { blockingReasons, planSettings, type ObservedSetting } from '../../robots/settings-plan.js';
import type { RootSettingName } from '../../config/profile.js';

const desiredOf = (setting: RootSettingName) => cemu.root.find((entry) => entry.setting === setting)?.desired;

test('the CEMU profile says what the seed says', () => {
  expect(cemu.root.map((entry) => entry.setting).sort()).toEqual([...ROOT_SETTING_NAMES].sort());
  for (const excluded of ['users', 'calendarevents', 'xapistate', 'legacyfiles'] as const) {
    expect(desiredOf(excluded), excluded).toBe(false);
  }
  for (const included of [
    'activities',
    'blocks',
    'filters',
    'permissions',
    'groups',
    'badges',
    'comments',
  ] as const) {
    expect(desiredOf(included), included).toBe(true);
  }
  expect(desiredOf('enrolments')).toBe(ENROLMENTS.withUsers);
  expect(cemu.root.filter((entry) => entry.required).map((entry) => entry.setting)).toEqual([
    'users',
    'activities',
    'calendarevents',
    'xapistate',
    'legacyfiles',
  ]);
  expect(cemu.schema).toEqual({
    keepRolesAndEnrolments: true,
    keepGroupsAndGroupings: true,
    overwriteCourseConfiguration: false,
  });
});

test('a profile that lists a setting twice or gives a checkbox a number is rejected', () => {
  const broken = {
    ...cemu,
    root: [...cemu.root, { setting: 'users', desired: 1, required: true, note: 'again' }],
  };
  const result = settingsProfileSchema.safeParse(broken);
  expect(result.success).toBe(false);
  expect(result.error?.issues.map((issue) => issue.message)).toEqual([
    'setting "users" is listed twice',
    'users is a checkbox: desired must be true or false',
  ]);
});

/** What a teacher sees restoring a backup made without users, on a stock 4.5 site. */
function teacherForm(setting: RootSettingName): ObservedSetting {
  switch (setting) {
    case 'users':
    case 'role_assignments':
    case 'comments':
    case 'userscompletion':
    case 'logs':
    case 'grade_histories':
    case 'xapistate':
      return { state: 'locked', value: false };
    case 'enrolments':
      return { state: 'editable', value: ENROLMENTS.never, options: [ENROLMENTS.never, ENROLMENTS.always] };
    case 'competencies':
      return { state: 'absent' };
    default:
      return { state: 'editable', value: true };
  }
}

test("a teacher's form: calendar events and legacy files are unticked, nothing blocks", () => {
  const plan = planSettings(cemu, teacherForm);
  const changes = plan
    .filter((item) => item.outcome === 'change')
    .map((item) => [item.setting, item.resulting]);
  expect(changes).toEqual([
    ['calendarevents', false],
    ['legacyfiles', false],
  ]);
  const enrolments = plan.find((item) => item.setting === 'enrolments');
  expect(enrolments).toMatchObject({
    outcome: 'option-unavailable',
    resulting: ENROLMENTS.never,
    blocking: false,
  });
  expect(plan.find((item) => item.setting === 'users')).toMatchObject({ outcome: 'locked-as-desired' });
  expect(plan.find((item) => item.setting === 'badges')).toMatchObject({ outcome: 'already-as-desired' });
  expect(plan.find((item) => item.setting === 'competencies')).toMatchObject({
    outcome: 'absent',
    blocking: false,
  });
  expect(blockingReasons(plan)).toEqual([]);
});

test('a locked setting that contradicts a required entry blocks, with a reason', () => {
  const plan = planSettings(cemu, (setting) =>
    setting === 'calendarevents' ? { state: 'locked', value: true } : teacherForm(setting),
  );
  expect(blockingReasons(plan)).toEqual([
    'setting "calendarevents" is required to be false but is locked at true',
  ]);
});

test('a backup without activities blocks; one without calendar events does not', () => {
  const plan = planSettings(cemu, (setting) =>
    setting === 'activities' || setting === 'calendarevents' ? { state: 'absent' } : teacherForm(setting),
  );
  expect(blockingReasons(plan)).toEqual([
    'setting "activities" is required to be true but the backup does not offer it',
  ]);
});

test('a locked optional setting is recorded, not blocking', () => {
  const plan = planSettings(cemu, (setting) =>
    setting === 'groups' ? { state: 'locked', value: false } : teacherForm(setting),
  );
  expect(plan.find((item) => item.setting === 'groups')).toMatchObject({
    outcome: 'locked-otherwise',
    resulting: false,
    blocking: false,
  });
});
