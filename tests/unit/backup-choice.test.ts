import { expect, test } from '@playwright/test';
import {
  chooseBackup,
  confirmBackupMatches,
  parseBackupFilename,
  shortnameInFilename,
} from '../../rules/backup-choice.js';

// Names exactly as get_default_backup_filename writes them: the course id always, the short name
// only when the site asks for it, -nu / -an for users, -nf for a backup without files.
const SEED_COURSE = 'sauvegarde-moodle2-course-1234-foad_-_y2an8a-ec1_anglais-20251125-1514-nu.mbz';

test("Moodle's backup names are parsed: id, short name with - and _, date, flags, any language", () => {
  expect(parseBackupFilename(SEED_COURSE)).toEqual({
    word: 'sauvegarde',
    courseId: 1234,
    shortname: 'foad_-_y2an8a-ec1_anglais',
    stamp: '20251125-1514',
    withoutUsers: true,
    anonymised: false,
    withoutFiles: false,
  });
  expect(parseBackupFilename('backup-moodle2-course-42-20250627-0300.mbz')).toEqual({
    word: 'backup',
    courseId: 42,
    stamp: '20250627-0300',
    withoutUsers: false,
    anonymised: false,
    withoutFiles: false,
  });
  expect(parseBackupFilename('backup-moodle2-course-42-maths101-20250627-0300-nu-nf.mbz')).toMatchObject({
    courseId: 42,
    shortname: 'maths101',
    withoutUsers: true,
    withoutFiles: true,
  });
  expect(parseBackupFilename('backup-moodle2-course-7-20250627-0300-an-nf.mbz')).toMatchObject({
    courseId: 7,
    anonymised: true,
    withoutFiles: true,
  });
  expect(
    parseBackupFilename('copia_de_seguridad-moodle2-course-7-l1-2024-20250627-0300-nf.mbz'),
  ).toMatchObject({ word: 'copia_de_seguridad', courseId: 7, shortname: 'l1-2024', withoutFiles: true });
  expect(parseBackupFilename('notes.mbz')).toBeUndefined();
  expect(parseBackupFilename('backup-moodle2-activity-12-quiz12-20250625-0215.mbz')).toBeUndefined();
  expect(parseBackupFilename('backup-moodle2-course-maths101-20250625-0215.mbz')).toBeUndefined();
});

test('short names are written as Moodle writes them', () => {
  expect(shortnameInFilename('FOAD - Y2AN8A-EC1 Anglais')).toBe('foad_-_y2an8a-ec1_anglais');
  expect(shortnameInFilename(' L1/Maths: "Algèbre" ')).toBe('l1maths_algèbre');
  expect(shortnameInFilename('R&D 2')).toBe('ramp;d_2');
  // Seen on the harness: Moodle's file name for 'LIT "Été" ΦΥΣ 1' ends in σ, where JavaScript would write ς.
  expect(shortnameInFilename('LIT "Été" ΦΥΣ 1')).toBe('lit_été_φυσ_1');
  // format_string removes tags and escapes a '<' or '>' left over, before the file name is cleaned.
  expect(shortnameInFilename(`L1 <Droit> "public" l'an`)).toBe('l1__public_lan');
  expect(shortnameInFilename('a < b > c')).toBe('a_lt;_b_gt;_c');
});

test("the seed's course is found by its bleu id, with its short name agreeing", () => {
  const files = [
    { filename: 'sauvegarde-moodle2-course-1234-foad_-_y2an8a-ec1_anglais-20251120-0200-nu.mbz' },
    { filename: SEED_COURSE },
    { filename: 'sauvegarde-moodle2-course-12345-foad_-_y2an8a-ec2-20251126-0200-nu.mbz' },
  ];
  const choice = chooseBackup(files, { bleuCourseId: 1234, shortname: 'FOAD - Y2AN8A-EC1 Anglais' });
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: SEED_COURSE },
    others: [{ filename: files[0]?.filename }],
    expectedOriginal: { courseId: 1234, shortname: 'FOAD - Y2AN8A-EC1 Anglais' },
  });
});

test('an automated backup, named by id only, is found by the bleu course id', () => {
  const choice = chooseBackup(
    [
      { filename: 'backup-moodle2-course-42-20250627-0300.mbz' },
      { filename: 'backup-moodle2-course-420-20250628-0300.mbz' },
      { filename: 'backup-moodle2-course-4-20250629-0300-nf.mbz' },
    ],
    { bleuCourseId: 42, shortname: 'chemistry' },
  );
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-42-20250627-0300.mbz' },
    others: [],
    expectedOriginal: { courseId: 42, shortname: 'chemistry' },
  });
});

test('by short name alone, a name with the short name is found and its id becomes the expected one', () => {
  const choice = chooseBackup(
    [
      { filename: 'backup-moodle2-course-9-maths101-20250625-0200-nu.mbz' },
      { filename: 'backup-moodle2-course-10-maths1010-20250626-0200-nu.mbz' },
    ],
    { shortname: 'MATHS101' },
  );
  expect(choice).toMatchObject({
    kind: 'chosen',
    file: { filename: 'backup-moodle2-course-9-maths101-20250625-0200-nu.mbz' },
    expectedOriginal: { courseId: 9, shortname: 'MATHS101' },
  });
});

test('the same id with another short name stops: it may not be the course', () => {
  const choice = chooseBackup([{ filename: 'backup-moodle2-course-42-physics-20250627-0300.mbz' }], {
    bleuCourseId: 42,
    shortname: 'chemistry',
  });
  expect(choice).toMatchObject({
    kind: 'ambiguous',
    reason: /^backups of bleu course id 42 carry another short name than "chemistry"/,
  });
});

test('the same short name from two bleu courses stops: the id is needed', () => {
  const choice = chooseBackup(
    [
      { filename: 'backup-moodle2-course-9-maths101-20250625-0200-nu.mbz' },
      { filename: 'backup-moodle2-course-77-maths101-20250626-0200-nu.mbz' },
    ],
    { shortname: 'maths101' },
  );
  expect(choice).toMatchObject({ kind: 'ambiguous', reason: /from 2 bleu courses \(ids 9, 77\)/ });
});

test('no backup of the course: a reason that lists what is there and what is missing', () => {
  const files = [{ filename: 'backup-moodle2-course-42-20250627-0300.mbz' }];
  const byName = chooseBackup(files, { shortname: 'biology' });
  expect(byName.kind).toBe('none');
  expect(byName.kind === 'none' && byName.reason).toBe(
    'no backup of "biology" in the user private backup area (it holds backup-moodle2-course-42-20250627-0300.mbz); some names carry only a course id, so the bleu course id is needed to recognise them',
  );
  expect(chooseBackup([], { bleuCourseId: 5 })).toMatchObject({
    kind: 'none',
    reason: 'no backup of bleu course id 5 in the user private backup area (the area is empty)',
  });
});

test('two backups of the course made the same minute: ambiguous, the robot must stop', () => {
  const choice = chooseBackup(
    [
      { filename: 'backup-moodle2-course-9-maths101-20250625-0200-nu.mbz' },
      { filename: 'sauvegarde-moodle2-course-9-20250625-0200-nu-nf.mbz' },
    ],
    { bleuCourseId: 9, shortname: 'maths101' },
  );
  expect(choice.kind).toBe('ambiguous');
  expect(choice.kind === 'ambiguous' && choice.candidates).toHaveLength(2);
});

test('the Confirm stage must show the course chosen, or the robot stops with reasons', () => {
  const expected = { courseId: 1234, shortname: 'FOAD - Y2AN8A-EC1 Anglais' };
  expect(confirmBackupMatches({ type: 'course', originalCourseId: 1234 }, expected)).toEqual({
    verdict: 'pass',
  });
  expect(
    confirmBackupMatches(
      { type: 'course', originalCourseId: 1234, originalCourseShortname: 'FOAD - Y2AN8A-EC1 Anglais' },
      expected,
    ),
  ).toEqual({ verdict: 'pass' });
  expect(
    confirmBackupMatches(
      { type: 'activity', originalCourseId: 99, originalCourseShortname: 'OTHER' },
      expected,
    ),
  ).toEqual({
    verdict: 'refuse',
    detail: [
      'the backup is of type "activity", not a course backup',
      'the backup was made from bleu course id 99, not 1234',
      'the backup\'s course short name is "OTHER", not "FOAD - Y2AN8A-EC1 Anglais"',
    ].join('; '),
  });
});
