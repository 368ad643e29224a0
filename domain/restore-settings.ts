/**
 * Root settings of Moodle's restore wizard (stage "Settings"), by their 4.5 names
 * (backup/moodle2/restore_root_task.class.php; 4.1 has no xapistate and names customfield "customfields").
 */
export const ROOT_SETTING_NAMES = [
  'users',
  'enrolments',
  'role_assignments',
  'permissions',
  'activities',
  'blocks',
  'filters',
  'comments',
  'badges',
  'calendarevents',
  'userscompletion',
  'logs',
  'grade_histories',
  'groups',
  'competencies',
  'customfield',
  'contentbankcontent',
  'xapistate',
  'legacyfiles',
] as const;

export type RootSettingName = (typeof ROOT_SETTING_NAMES)[number];

/** Values of the "Include enrolment methods" select. */
export const ENROLMENTS = { never: 0, withUsers: 1, always: 2 } as const;

/**
 * Settings that Moodle makes depend on "users" (restore_root_task: `$users->add_dependency(...)`):
 * once users are excluded, Moodle locks them off.
 */
export const USER_DEPENDENT_SETTINGS: readonly RootSettingName[] = [
  'role_assignments',
  'comments',
  'badges',
  'userscompletion',
  'logs',
  'grade_histories',
];

export type SettingValue = boolean | number;

/** What the "Settings" stage shows for one root setting. */
export type ObservedSetting =
  | { state: 'absent' }
  | { state: 'editable'; value: SettingValue; options?: readonly number[] }
  | { state: 'locked'; value: SettingValue };
