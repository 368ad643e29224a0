import { z } from 'zod';

/**
 * Root settings of Moodle's restore wizard (stage "Settings"), by their 4.5 names.
 * pages/moodle-versions.ts maps them to the names other releases use.
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
    root: z.array(profileEntrySchema).min(1),
    schema: z.object({
      /** Stage "Schema": keep the target course's current roles and enrolments. */
      keepRolesAndEnrolments: z.boolean(),
      /** Stage "Schema": keep the target course's current groups and groupings. */
      keepGroupsAndGroupings: z.boolean(),
      /** Overwrite the target course's name, short name and start date with the backup's. */
      overwriteCourseConfiguration: z.boolean(),
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
