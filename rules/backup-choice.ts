import { stripTagsAsMoodle } from '../domain/moodle-formatting.js';
import type { Verdict } from './verdict.js';

/**
 * Picks, among the files of the user private backup area, the backup of one course.
 *
 * Moodle names a course backup `<word>-moodle2-course-<id>[-<shortname>]-<YYYYMMDD>-<HHMM>[-nu|-an][-nf].mbz`
 * (backup/util/dbops/backup_plan_dbops.class.php, get_default_backup_filename). The course id is always
 * there; the short name only when the site asks for it (automated backups leave it out by default).
 * `<word>` is the site language's "backup" ("sauvegarde" in French), `-nu` marks a backup without users,
 * `-an` one with anonymised users, `-nf` one without files.
 */

export interface BackupFileRow {
  filename: string;
}

/** The bleu course whose backup is wanted: its id (found by the bleu preflight), its short name, or both. */
export type CourseToMatch =
  { bleuCourseId: number; shortname?: string } | { bleuCourseId?: undefined; shortname: string };

export interface ParsedBackupName {
  word: string;
  courseId: number;
  /** The short name as Moodle writes it in file names (see shortnameInFilename), when the name has it. */
  shortname?: string;
  /** `YYYYMMDD-HHMM`, local time of the server that made the backup. */
  stamp: string;
  withoutUsers: boolean;
  anonymised: boolean;
  withoutFiles: boolean;
}

/** What the wizard's Confirm stage must show before the robot goes on (see confirmBackupMatches). */
export interface ExpectedOriginal {
  courseId: number;
  /** The bleu course's short name as Moodle stores it, when known. */
  shortname?: string;
}

export type BackupChoice =
  | {
      kind: 'chosen';
      file: BackupFileRow;
      parsed: ParsedBackupName;
      others: BackupFileRow[];
      expectedOriginal: ExpectedOriginal;
    }
  | { kind: 'none'; reason: string }
  | { kind: 'ambiguous'; reason: string; candidates: BackupFileRow[] };

const BACKUP_NAME =
  /^(?<word>.+?)-moodle2-course-(?<id>\d+)(?:-(?<shortname>.+))?-(?<day>\d{8})-(?<time>\d{4})(?<users>-nu|-an)?(?<files>-nf)?\.mbz$/u;

export function parseBackupFilename(filename: string): ParsedBackupName | undefined {
  const groups = BACKUP_NAME.exec(filename)?.groups;
  if (groups === undefined) return undefined;
  const { word = '', id = '', shortname, day = '', time = '', users, files } = groups;
  return {
    word,
    courseId: Number(id),
    ...(shortname !== undefined && { shortname }),
    stamp: `${day}-${time}`,
    withoutUsers: users === '-nu',
    anonymised: users === '-an',
    withoutFiles: files === '-nf',
  };
}

/**
 * The course short name as Moodle writes it into a backup filename: format_string (a lone `&` becomes
 * `&amp;`, tags removed, a `<` or `>` left over escaped), spaces to underscores, PARAM_FILE cleaning (control characters and & < > " ` | ' : \ /
 * removed), trimmed of underscores, lowercased.
 */
export function shortnameInFilename(shortname: string): string {
  const cleaned = stripTagsAsMoodle(shortname.replace(/&(?![a-zA-Z]+;|#[0-9]+;|#x[0-9a-fA-F]+;)/gu, '&amp;'))
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll(' ', '_')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f&<>"`|':\\/]/gu, '');
  // Character by character, as PHP's mb_strtolower does: JavaScript's own lowercasing applies the
  // final-sigma rule ("ΦΥΣ" → "φυς"), Moodle's does not ("φυσ").
  return Array.from(cleaned.replace(/^_+|_+$/gu, ''), (character) => character.toLocaleLowerCase('en')).join(
    '',
  );
}

interface Candidate {
  file: BackupFileRow;
  parsed: ParsedBackupName;
}

/**
 * Chooses the newest backup of the course: by bleu course id when known, the short name (when the
 * names carry one) as a second signal; by short name alone otherwise. Anything unsure is not chosen.
 */
export function chooseBackup(files: readonly BackupFileRow[], course: CourseToMatch): BackupChoice {
  const parsedFiles = files.flatMap((file) => {
    const parsed = parseBackupFilename(file.filename);
    return parsed ? [{ file, parsed }] : [];
  });
  const wantedShortname = course.shortname === undefined ? undefined : shortnameInFilename(course.shortname);
  const label = describeCourse(course);

  let matching: Candidate[];
  if (course.bleuCourseId !== undefined) {
    const id = course.bleuCourseId;
    matching = parsedFiles.filter((item) => item.parsed.courseId === id);
    const otherShortname = matching.filter(
      (item) =>
        wantedShortname !== undefined &&
        item.parsed.shortname !== undefined &&
        item.parsed.shortname !== wantedShortname,
    );
    if (otherShortname.length > 0) {
      return {
        kind: 'ambiguous',
        reason: `backups of bleu course id ${id} carry another short name than "${wantedShortname ?? ''}" (${names(otherShortname)}): check which course they hold`,
        candidates: otherShortname.map((item) => item.file),
      };
    }
  } else {
    matching = parsedFiles.filter((item) => item.parsed.shortname === wantedShortname);
    const ids = [...new Set(matching.map((item) => item.parsed.courseId))];
    if (ids.length > 1) {
      return {
        kind: 'ambiguous',
        reason: `backups named "${wantedShortname ?? ''}" come from ${ids.length} bleu courses (ids ${ids.join(', ')}): give the bleu course id`,
        candidates: matching.map((item) => item.file),
      };
    }
  }

  matching.sort((a, b) => b.parsed.stamp.localeCompare(a.parsed.stamp));
  const [newest, second] = matching;
  if (!newest) return { kind: 'none', reason: noneReason(files, parsedFiles, course, label) };
  if (second && second.parsed.stamp === newest.parsed.stamp) {
    const tied = matching.filter((item) => item.parsed.stamp === newest.parsed.stamp);
    return {
      kind: 'ambiguous',
      reason: `${tied.length} backups of ${label} were made the same minute: ${names(tied)}`,
      candidates: tied.map((item) => item.file),
    };
  }
  return {
    kind: 'chosen',
    file: newest.file,
    parsed: newest.parsed,
    others: matching.slice(1).map((item) => item.file),
    expectedOriginal: {
      courseId: newest.parsed.courseId,
      ...(course.shortname !== undefined && { shortname: course.shortname }),
    },
  };
}

function describeCourse(course: CourseToMatch): string {
  if (course.bleuCourseId === undefined) return `"${course.shortname}"`;
  return course.shortname === undefined
    ? `bleu course id ${course.bleuCourseId}`
    : `"${course.shortname}" (bleu course id ${course.bleuCourseId})`;
}

function names(items: readonly Candidate[]): string {
  return items.map((item) => item.file.filename).join(', ');
}

function noneReason(
  files: readonly BackupFileRow[],
  parsedFiles: readonly Candidate[],
  course: CourseToMatch,
  label: string,
): string {
  const hint =
    files.length === 0 ? 'the area is empty' : `it holds ${files.map((f) => f.filename).join(', ')}`;
  const namedByIdOnly = parsedFiles.some((item) => item.parsed.shortname === undefined);
  const needsId =
    course.bleuCourseId === undefined && namedByIdOnly
      ? '; some names carry only a course id, so the bleu course id is needed to recognise them'
      : '';
  return `no backup of ${label} in the user private backup area (${hint})${needsId}`;
}

/** What the Confirm stage (or the backup's moodle_backup.xml) says about the backup's original course. */
export interface OriginalCourseDetails {
  /** "course" for a course backup. */
  type?: string;
  originalCourseId: number;
  /** Only moodle_backup.xml has it; the Confirm stage shows the id and the full name. */
  originalCourseShortname?: string;
}

export type ConfirmCheck = Verdict;

/** The last check before going past Confirm: is this backup really of the course chosen? */
export function confirmBackupMatches(
  details: OriginalCourseDetails,
  expected: ExpectedOriginal,
): ConfirmCheck {
  const reasons: string[] = [];
  if (details.type !== undefined && details.type !== 'course') {
    reasons.push(`the backup is of type "${details.type}", not a course backup`);
  }
  if (details.originalCourseId !== expected.courseId) {
    reasons.push(
      `the backup was made from bleu course id ${details.originalCourseId}, not ${expected.courseId}`,
    );
  }
  if (
    expected.shortname !== undefined &&
    details.originalCourseShortname !== undefined &&
    details.originalCourseShortname !== expected.shortname
  ) {
    reasons.push(
      `the backup's course short name is "${details.originalCourseShortname}", not "${expected.shortname}"`,
    );
  }
  return reasons.length === 0 ? { verdict: 'pass' } : { verdict: 'refuse', detail: reasons.join('; ') };
}
