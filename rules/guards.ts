/**
 * The seed's precautions as rules, checked before any destructive click. Each rule takes what the
 * robot read from the sites and returns a verdict; the robot refuses on the first refusal.
 */
import type { BackupContents } from '../backup-file/backup-contents.js';
import type { CourseInventory } from '../domain/course-inventory.js';
import type { Verdict } from './verdict.js';

export type GuardName = 'target-empty' | 'freshness';

/** A guard's verdict, named, with what it saw even when it passes. */
export type GuardVerdict = Verdict<{ detail: string }> & { guard: GuardName };

/**
 * Never restore into a course that has content: Moodle deletes it without a way back.
 * An empty course has its announcements forum and empty, unnamed sections; anything else, even a
 * renamed section or a section summary, is a teacher's work. No flag overrides this rule.
 */
export function targetIsEmpty(course: CourseInventory): GuardVerdict {
  const content = [
    ...course.activities
      .filter((activity) => !(activity.isNewsForum && activity.sectionNumber === 0))
      .map((activity) => `${activity.modulename} "${activity.name}" in section ${activity.sectionNumber}`),
    ...course.sections
      .filter((section) => section.customName)
      .map((section) => `section ${section.number} named "${section.name}"`),
    ...course.sections
      .filter((section) => section.hasSummary)
      .map((section) => `a summary in section ${section.number}`),
  ];
  if (content.length === 0) {
    return {
      guard: 'target-empty',
      verdict: 'pass',
      detail: `empty: ${course.sections.length} empty section(s)`,
    };
  }
  const shown = content.slice(0, 5).join('; ');
  const more = content.length > 5 ? `; and ${content.length - 5} more` : '';
  return {
    guard: 'target-empty',
    verdict: 'refuse',
    detail: `the course already has content (${shown}${more}): restoring would delete it`,
  };
}

/**
 * Content changed on bleu after its last backup is not in that backup. What bleu says now: its sections and activities against the backup's, and the
 * activities Moodle records as edited after the backup's date. Any difference means the backup does
 * not hold the course as it is: restore tomorrow, after the next nightly backup.
 */
export function bleuUnchangedSinceBackup(
  backup: Pick<BackupContents, 'backupDate'>,
  changes: { structure: readonly string[]; edits: readonly { activity: string; area: string; at: Date }[] },
  options: { allowStale: boolean },
): GuardVerdict {
  const backupTime = backup.backupDate.toISOString();
  const found = [
    ...changes.structure,
    ...changes.edits.map((edit) => `"${edit.activity}" (${edit.area}) changed ${edit.at.toISOString()}`),
  ];
  if (found.length === 0) {
    return {
      guard: 'freshness',
      verdict: 'pass',
      detail: `the bleu course is as the backup of ${backupTime} holds it`,
    };
  }
  const shown = found.slice(0, 5).join('; ') + (found.length > 5 ? `; and ${found.length - 5} more` : '');
  const detail = `content changed after the last backup: restore tomorrow (backup of ${backupTime}; on bleu now: ${shown})`;
  return options.allowStale
    ? { guard: 'freshness', verdict: 'warn', detail }
    : { guard: 'freshness', verdict: 'refuse', detail, override: 'allowStale' };
}
