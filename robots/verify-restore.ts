import type { BackupContents } from './backup-contents.js';

/** What the restored course on vert holds, as read from the site after the restore. */
export interface RestoredCourse {
  sections: { number: number; name: string }[];
  activities: { modulename: string; name: string; sectionNumber: number }[];
}

export interface RestoreVerification {
  matches: boolean;
  differences: string[];
  counts: {
    backupSections: number;
    restoredSections: number;
    backupActivities: number;
    restoredActivities: number;
  };
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
  for (const [activity, count] of expected) {
    const found = actual.get(activity) ?? 0;
    if (found < count)
      differences.push(`missing: ${activity}${count - found > 1 ? ` ×${count - found}` : ''}`);
  }
  for (const [activity, count] of actual) {
    const wanted = expected.get(activity) ?? 0;
    if (count > wanted)
      differences.push(`not in the backup: ${activity}${count - wanted > 1 ? ` ×${count - wanted}` : ''}`);
  }

  if (backup.sections.length !== restored.sections.length) {
    differences.push(
      `sections: the backup has ${backup.sections.length}, the course has ${restored.sections.length}`,
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

function countBy(keys: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const key of keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}
