import { expect, test } from '@playwright/test';
import { RESTORE_TARGETS, settingsProfileSchema } from '../../config/profile.js';
import cemu from '../../config/profiles/cemu-2425.js';
import { blockingReasons, deviations, planDestination, planSettings } from '../../rules/settings-plan.js';
import {
  ENROLMENTS,
  ROOT_SETTING_NAMES,
  type ObservedSetting,
  type RootSettingName,
} from '../../domain/restore-settings.js';

const desiredOf = (setting: RootSettingName) => cemu.root.find((entry) => entry.setting === setting)?.desired;

test('the CEMU profile says what the seed says: exactly users, calendar events and H5P user state off', () => {
  expect(cemu.root.map((entry) => entry.setting).sort()).toEqual([...ROOT_SETTING_NAMES].sort());
  const excluded = cemu.root.filter((entry) => entry.desired === false).map((entry) => entry.setting);
  expect(excluded).toEqual(['users', 'calendarevents', 'xapistate']);
  for (const entry of cemu.root) {
    if (entry.setting !== 'enrolments' && !excluded.includes(entry.setting)) {
      expect(entry.desired, `${entry.setting} is listed without a mark`).toBe(true);
    }
  }
  expect(desiredOf('legacyfiles')).toBe(true);
  expect(desiredOf('enrolments')).toBe(ENROLMENTS.withUsers);
  expect(cemu.root.filter((entry) => entry.required).map((entry) => entry.setting)).toEqual([
    'users',
    'activities',
    'calendarevents',
    'xapistate',
  ]);
});

test('the destination is profile data: into this course, delete its contents then restore', () => {
  expect(cemu.destination.target).toBe(RESTORE_TARGETS.currentCourseDeleting);
  expect(RESTORE_TARGETS.currentCourseDeleting).toBe(0);
  expect(planDestination(cemu, { offered: [0, 1] })).toEqual({
    target: 0,
    outcome: 'select',
    blocking: false,
  });
  expect(planDestination(cemu, { offered: [1] })).toMatchObject({
    outcome: 'unavailable',
    blocking: true,
    reason: expect.stringMatching(/^the destination stage does not offer target 0 .* it offers 1$/),
  });
});

test("the schema stage's header is recorded as offered, never set by the profile", () => {
  expect(cemu.schemaHeader.policy).toBe('record-as-offered');
  expect(cemu).not.toHaveProperty('schema');
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
    case 'badges':
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

test("a teacher's form: only calendar events are unticked, nothing blocks", () => {
  const plan = planSettings(cemu, teacherForm);
  const changes = plan
    .filter((item) => item.outcome === 'change')
    .map((item) => [item.setting, item.resulting]);
  expect(changes).toEqual([['calendarevents', false]]);
  expect(plan.find((item) => item.setting === 'legacyfiles')).toMatchObject({
    outcome: 'already-as-desired',
    resulting: true,
  });
  const enrolments = plan.find((item) => item.setting === 'enrolments');
  expect(enrolments, '"only if users are included" without users is "No"').toMatchObject({
    outcome: 'already-as-desired',
    resulting: ENROLMENTS.never,
    blocking: false,
  });
  expect(plan.find((item) => item.setting === 'users')).toMatchObject({ outcome: 'locked-as-desired' });
  expect(plan.find((item) => item.setting === 'blocks')).toMatchObject({ outcome: 'already-as-desired' });
  expect(plan.find((item) => item.setting === 'badges')).toMatchObject({ outcome: 'locked-as-expected' });
  expect(plan.find((item) => item.setting === 'competencies')).toMatchObject({
    outcome: 'absent',
    blocking: false,
  });
  expect(blockingReasons(plan)).toEqual([]);
});

test('settings Moodle locks off once users are off are expected, not deviations burying a real one', () => {
  const plan = planSettings(cemu, (setting) =>
    setting === 'filters' ? { state: 'locked', value: false } : teacherForm(setting),
  );
  expect(plan.filter((item) => item.outcome === 'locked-as-expected').map((item) => item.setting)).toEqual([
    'role_assignments',
    'comments',
    'badges',
    'userscompletion',
    'logs',
    'grade_histories',
  ]);
  expect(deviations(plan).map((item) => [item.setting, item.outcome])).toEqual([
    ['filters', 'locked-otherwise'],
    ['competencies', 'absent'],
  ]);
  expect(blockingReasons(plan)).toEqual([]);
});

test('with users included, a dependent setting locked off is a deviation again', () => {
  const plan = planSettings(cemu, (setting) =>
    setting === 'users' ? { state: 'locked', value: true } : teacherForm(setting),
  );
  expect(plan.find((item) => item.setting === 'comments')?.outcome).toBe('locked-otherwise');
  expect(blockingReasons(plan)).toEqual(['setting "users" is required to be false but is locked at true']);
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
