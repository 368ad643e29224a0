/** The Moodle releases the robot knows the screens of (pages/moodle-release.ts says how they differ). */
export const MOODLE_RELEASES = ['4.4', '4.5', '5.0', '5.1'] as const;
export type MoodleRelease = (typeof MOODLE_RELEASES)[number];

export function isMoodleRelease(value: string): value is MoodleRelease {
  return (MOODLE_RELEASES as readonly string[]).includes(value);
}
