import { expect, test } from '@playwright/test';
import { chooseBackup, parseBackupFilename, shortnameInFilename } from '../../robots/backup-choice.js';

test('Moodle backup filenames are parsed, in English and French', () => {
  expect(parseBackupFilename('backup-moodle2-course-y2an8a-ec1-20250625-0215-nu.mbz')).toEqual({
    word: 'backup',
    name: 'y2an8a-ec1',
    stamp: '20250625-0215',
    withoutUsers: true,
    anonymised: false,
  });
  expect(parseBackupFilename('sauvegarde-moodle2-course-1234-20251125-1514.mbz')).toMatchObject({
    word: 'sauvegarde',
    name: '1234',
    withoutUsers: false,
  });
  expect(parseBackupFilename('notes.mbz')).toBeUndefined();
  expect(parseBackupFilename('backup-moodle2-activity-12-quiz12-20250625-0215.mbz')).toBeUndefined();
});

test('short names are written as Moodle writes them', () => {
  expect(shortnameInFilename('FOAD - Y2AN8A-EC1 Anglais')).toBe('foad_-_y2an8a-ec1_anglais');
  expect(shortnameInFilename(' L1/Maths: "Algèbre" ')).toBe('l1maths_algèbre');
});

const files = [
  { filename: 'backup-moodle2-course-maths101-20250620-0200-nu.mbz' },
  { filename: 'backup-moodle2-course-maths101-20250625-0200-nu.mbz' },
  { filename: 'backup-moodle2-course-maths1010-20250626-0200-nu.mbz' },
  { filename: 'backup-moodle2-course-physics-20250626-0200-nu.mbz' },
];

test('the newest backup of the course is chosen; a longer look-alike name is not', () => {
  const choice = chooseBackup(files, { shortname: 'MATHS101' });
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-maths101-20250625-0200-nu.mbz' },
    others: [{ filename: 'backup-moodle2-course-maths101-20250620-0200-nu.mbz' }],
  });
});

test('the table time wins over the name when both are known', () => {
  const choice = chooseBackup(
    [
      {
        filename: 'backup-moodle2-course-maths101-20250625-0200-nu.mbz',
        time: new Date('2025-06-25T00:00:00Z'),
      },
      {
        filename: 'backup-moodle2-course-maths101-20250620-0200-nu.mbz',
        time: new Date('2025-06-26T00:00:00Z'),
      },
    ],
    { shortname: 'maths101' },
  );
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-maths101-20250620-0200-nu.mbz' },
  });
});

test('an automated backup named by the bleu course id is found by that id', () => {
  const choice = chooseBackup([...files, { filename: 'backup-moodle2-course-42-20250627-0300-nu.mbz' }], {
    shortname: 'chemistry',
    bleuCourseId: 42,
  });
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-42-20250627-0300-nu.mbz' },
  });
});

test('no backup of the course: a reason that lists what is there', () => {
  const choice = chooseBackup(files, { shortname: 'biology' });
  expect(choice.kind).toBe('none');
  expect(choice.kind === 'none' && choice.reason).toContain('no backup of "biology"');
  expect(choice.kind === 'none' && choice.reason).toContain(
    'backup-moodle2-course-physics-20250626-0200-nu.mbz',
  );
  expect(chooseBackup([], { shortname: 'biology' })).toMatchObject({
    kind: 'none',
    reason: /the area is empty/,
  });
});

test('two equally recent backups of the course: ambiguous, the robot must stop', () => {
  const choice = chooseBackup(
    [
      { filename: 'backup-moodle2-course-maths101-20250625-0200-nu.mbz' },
      { filename: 'sauvegarde-moodle2-course-maths101-20250625-0200-nu.mbz' },
    ],
    { shortname: 'maths101' },
  );
  expect(choice.kind).toBe('ambiguous');
  expect(choice.kind === 'ambiguous' && choice.candidates).toHaveLength(2);
});

test('when only some rows have a table time, the names decide', () => {
  const choice = chooseBackup(
    [
      {
        filename: 'backup-moodle2-course-maths101-20250626-0200-nu.mbz',
        time: new Date('2025-06-26T00:02:00Z'),
      },
      { filename: 'backup-moodle2-course-maths101-20250625-0200-nu.mbz' },
    ],
    { shortname: 'maths101' },
  );
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-maths101-20250626-0200-nu.mbz' },
  });
});
