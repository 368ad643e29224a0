import { z } from 'zod';

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

/** Values of the Destination stage's `target` radio (backup::TARGET_* in backup/backup.class.php). */
export const RESTORE_TARGETS = {
  /** "Restore into this course" + "Delete the contents of this course and then restore". */
  currentCourseDeleting: 0,
  /** "Restore into this course" + "Merge the backup course into this course". */
  currentCourseAdding: 1,
} as const;

const profileEntrySchema = z.object({
  setting: z.enum(ROOT_SETTING_NAMES),
  /** A checkbox wants true/false; the enrolments select wants one of ENROLMENTS. */
  desired: z.union([z.boolean(), z.literal(0), z.literal(1), z.literal(2)]),
  /** A required entry that cannot be applied stops the run before Perform. */
  required: z.boolean(),
  /** What the seed says, or why it is ambiguous. */
  note: z.string().min(1),
});

export const settingsProfileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    description: z.string().min(1),
    source: z.string().min(1),
    /** Stage "Destination": where the backup goes, checked like a setting. */
    destination: z.object({
      target: z.union([
        z.literal(RESTORE_TARGETS.currentCourseDeleting),
        z.literal(RESTORE_TARGETS.currentCourseAdding),
      ]),
      note: z.string().min(1),
    }),
    root: z.array(profileEntrySchema).min(1),
    /**
     * The header of stage "Schema" (overwrite course configuration, keep current roles and enrolments,
     * keep current groups and groupings): read and recorded, never changed.
     */
    schemaHeader: z.object({
      /** The course's own teacher's run: the header as the site offers it. */
      policy: z.literal('record-as-offered'),
      note: z.string().min(1),
      /**
       * Any other account (admin, manager, support): each "keep" field set to Yes or No, or left as
       * offered. An account that is not the course's teacher may unenrol everyone, the teachers included.
       */
      otherAccount: z.object({
        keepRolesAndEnrolments: z.union([z.boolean(), z.literal('as-offered')]),
        keepGroupsAndGroupings: z.union([z.boolean(), z.literal('as-offered')]),
        note: z.string().min(1),
      }),
    }),
  })
  .superRefine((profile, context) => {
    const seen = new Set<string>();
    profile.root.forEach((entry, index) => {
      if (seen.has(entry.setting)) {
        context.addIssue({
          code: 'custom',
          path: ['root', index, 'setting'],
          message: `setting "${entry.setting}" is listed twice`,
        });
      }
      seen.add(entry.setting);
      const isSelect = entry.setting === 'enrolments';
      if (isSelect !== (typeof entry.desired === 'number')) {
        context.addIssue({
          code: 'custom',
          path: ['root', index, 'desired'],
          message: isSelect
            ? 'enrolments takes 0 (never), 1 (only with users) or 2 (always)'
            : `${entry.setting} is a checkbox: desired must be true or false`,
        });
      }
    });
  });

export type SettingsProfile = z.infer<typeof settingsProfileSchema>;
export type ProfileEntry = SettingsProfile['root'][number];

export function defineProfile(profile: SettingsProfile): SettingsProfile {
  return settingsProfileSchema.parse(profile);
}
