import type { BackupContents } from '../backup-file/backup-contents.js';
import type { CourseInventory } from '../domain/course-inventory.js';
import { sectionsCounted } from './section-count.js';
import type { RestoreVerification } from '../domain/outcome.js';

/** The part of the course inventory that a backup can be compared with. */
export interface RestoredCourse {
  sections: Pick<CourseInventory['sections'][number], 'number' | 'name'>[];
  activities: Pick<CourseInventory['activities'][number], 'modulename' | 'name' | 'sectionNumber'>[];
}

/**
 * Checks that the restored course holds exactly what the backup holds: the same activities
 * (module type and name, counted), the same number of sections, and every named section by its name.
 * A section the backup names by number only has no name to compare.
 */
export function verifyRestoredCourse(backup: BackupContents, restored: RestoredCourse): RestoreVerification {
  const differences: string[] = [];

  const expected = countBy(backup.activities.map((a) => `${a.modulename} "${a.title}"`));
  const actual = countBy(restored.activities.map((a) => `${a.modulename} "${a.name}"`));
  differences.push(
    ...surplus(expected, actual).map((activity) => `missing: ${activity}`),
    ...surplus(actual, expected).map((activity) => `not in the backup: ${activity}`),
  );

  if (backup.sections.length !== restored.sections.length) {
    differences.push(
      `sections: the backup has ${sectionsCounted(backup.sections.length)}, the course has ${sectionsCounted(restored.sections.length)}`,
    );
  }
  const restoredNames = new Set(restored.sections.map((section) => section.name));
  for (const section of backup.sections) {
    if (!/^\d+$/.test(section.title) && !restoredNames.has(section.title)) {
      differences.push(`missing section: "${section.title}"`);
    }
  }

  return {
    matches: differences.length === 0,
    differences,
    counts: {
      backupSections: backup.sections.length,
      restoredSections: restored.sections.length,
      backupActivities: backup.activities.length,
      restoredActivities: restored.activities.length,
    },
  };
}

/** What `more` counts beyond `fewer`, as "key" or "key ×n". */
function surplus(more: Map<string, number>, fewer: Map<string, number>): string[] {
  return [...more].flatMap(([key, count]) => {
    const extra = count - (fewer.get(key) ?? 0);
    if (extra <= 0) return [];
    return [extra > 1 ? `${key} ×${extra}` : key];
  });
}

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
