import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { chooseBackup, confirmBackupMatches } from '../../rules/backup-choice.js';
import { BackupReadError, readBackupContents } from '../../backup-file/backup-contents.js';
import { verifyRestoredCourse, type RestoredCourse } from '../../rules/verify-restore.js';
import { tgzMbz, zipMbz, type FixtureCourse } from './helpers/mbz.js';
import { scratchDir } from '../helpers/scratch-dir.js';

const course: FixtureCourse = {
  shortname: 'MATHS101',
  sections: [
    { id: 10, title: '0' },
    { id: 11, title: 'Algèbre & <logique>' },
    { id: 12, title: '2' },
  ],
  activities: [
    { id: 100, sectionId: 10, modulename: 'forum', title: 'Announcements' },
    { id: 101, sectionId: 11, modulename: 'quiz', title: 'Quiz 1' },
    { id: 102, sectionId: 11, modulename: 'page', title: 'Syllabus' },
    { id: 103, sectionId: 12, modulename: 'page', title: 'Syllabus' },
  ],
};

for (const [format, build] of [
  ['zip', zipMbz],
  ['tar.gz', tgzMbz],
] as const) {
  test(`a ${format} .mbz is read: course, sections, activities, root settings`, async () => {
    const contents = await readBackupContents(await build(course));
    expect(contents).toMatchObject({
      name: 'backup-moodle2-course-42-maths101-20250625-0200-nu.mbz',
      moodleRelease: '4.5.5+ (Build: 20250613)',
      originalCourseId: 42,
      originalCourseShortname: 'MATHS101',
      originalCourseFullname: 'MATHS101 & friends',
      originalWwwroot: 'http://127.0.0.1:8081',
      type: 'course',
      format: 'moodle2',
      rootSettings: { users: '0', anonymize: '0', calendarevents: '1' },
    });
    expect(contents.backupDate.toISOString()).toBe('2025-06-25T02:00:00.000Z');
    expect(contents.sections).toEqual([
      { sectionId: 10, title: '0' },
      { sectionId: 11, title: 'Algèbre & <logique>' },
      { sectionId: 12, title: '2' },
    ]);
    expect(contents.activities.map((a) => [a.moduleId, a.sectionId, a.modulename, a.title])).toEqual([
      [100, 10, 'forum', 'Announcements'],
      [101, 11, 'quiz', 'Quiz 1'],
      [102, 11, 'page', 'Syllabus'],
      [103, 12, 'page', 'Syllabus'],
    ]);
  });
}

test('a file that is not a Moodle backup is refused with a reason', async () => {
  const dir = scratchDir('ecampus-notmbz');
  writeFileSync(path.join(dir, 'x.mbz'), 'hello');
  await expect(readBackupContents(path.join(dir, 'x.mbz'))).rejects.toThrow(BackupReadError);
  await expect(readBackupContents(path.join(dir, 'x.mbz'))).rejects.toThrow(/neither a zip nor a tar\.gz/);
});

const faithful: RestoredCourse = {
  sections: [
    { number: 0, name: 'Général' },
    { number: 1, name: 'Algèbre & <logique>' },
    { number: 2, name: 'Section 2' },
  ],
  activities: [
    { modulename: 'forum', name: 'Announcements', sectionNumber: 0 },
    { modulename: 'page', name: 'Syllabus', sectionNumber: 1 },
    { modulename: 'quiz', name: 'Quiz 1', sectionNumber: 1 },
    { modulename: 'page', name: 'Syllabus', sectionNumber: 2 },
  ],
};

test('a course that holds exactly the backup matches', async () => {
  const contents = await readBackupContents(await zipMbz(course));
  expect(verifyRestoredCourse(contents, faithful)).toEqual({
    matches: true,
    differences: [],
    counts: { backupSections: 3, restoredSections: 3, backupActivities: 4, restoredActivities: 4 },
  });
});

test('every difference is listed: missing, extra, duplicates, sections', async () => {
  const contents = await readBackupContents(await zipMbz(course));
  const restored: RestoredCourse = {
    sections: [
      { number: 0, name: 'Général' },
      { number: 1, name: 'Algebra' },
    ],
    activities: [
      { modulename: 'forum', name: 'Announcements', sectionNumber: 0 },
      { modulename: 'page', name: 'Syllabus', sectionNumber: 1 },
      { modulename: 'assign', name: 'Homework', sectionNumber: 1 },
      { modulename: 'forum', name: 'Announcements', sectionNumber: 1 },
    ],
  };
  expect(verifyRestoredCourse(contents, restored).differences).toEqual([
    'missing: quiz "Quiz 1"',
    'missing: page "Syllabus"',
    'not in the backup: forum "Announcements"',
    'not in the backup: assign "Homework"',
    'sections: the backup has 2 sections plus the general section, the course has 1 section plus the general section',
    'missing section: "Algèbre & <logique>"',
  ]);
});

test("the backup's own moodle_backup.xml confirms the choice made from its file name", async () => {
  const contents = await readBackupContents(await zipMbz(course));
  const choice = chooseBackup([{ filename: contents.name }], { bleuCourseId: 42, shortname: 'MATHS101' });
  if (choice.kind !== 'chosen') throw new Error(`expected a choice, got ${choice.kind}`);
  expect(confirmBackupMatches(contents, choice.expectedOriginal)).toEqual({ verdict: 'pass' });
  expect(confirmBackupMatches(contents, { courseId: 43 })).toMatchObject({ verdict: 'refuse' });
});
