/**
 * Picks, among the files of the user private backup area, the backup of one course.
 *
 * Moodle names backups `<word>-moodle2-course-<name>-<YYYYMMDD>-<HHMM>[-nu|-an].mbz`
 * (backup/util/dbops/backup_plan_dbops.class.php, get_default_backup_filename): `<word>` is the
 * translated "backup" (e.g. "sauvegarde" in French), `<name>` the course short name lowercased with
 * spaces as underscores, or the course id for automated backups that do not use short names.
 */

export interface BackupFileRow {
  filename: string;
  /** The "Time" column, when the page object could read it. */
  time?: Date;
}

export interface CourseToMatch {
  /** Short name of the course on the previous platform (bleu). */
  shortname: string;
  /** Course id on bleu, for automated backups named by id. */
  bleuCourseId?: number;
}

export interface ParsedBackupName {
  word: string;
  name: string;
  /** Minute precision, local time of the server that made it, as written in the name. */
  stamp: string;
  withoutUsers: boolean;
  anonymised: boolean;
}

export type BackupChoice =
  | { kind: 'chosen'; file: BackupFileRow; parsed: ParsedBackupName; others: BackupFileRow[] }
  | { kind: 'none'; reason: string }
  | { kind: 'ambiguous'; reason: string; candidates: BackupFileRow[] };

const BACKUP_NAME = /^([\p{L}_]+)-moodle2-course-(.+)-(\d{8})-(\d{4})(-nu|-an)?\.mbz$/u;

export function parseBackupFilename(filename: string): ParsedBackupName | undefined {
  const match = BACKUP_NAME.exec(filename);
  if (!match) return undefined;
  const [, word = '', name = '', day = '', time = '', info] = match;
  return { word, name, stamp: `${day}-${time}`, withoutUsers: info === '-nu', anonymised: info === '-an' };
}

/**
 * The course short name as Moodle writes it into a backup filename: PARAM_FILE cleaning
 * (control characters and & < > " ` | ' : \ / removed), spaces to underscores, trimmed of
 * underscores, lowercased.
 */
export function shortnameInFilename(shortname: string): string {
  const cleaned = shortname
    .replaceAll(' ', '_')
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u001f\u007f&<>"`|':\\/]/gu, '');
  return cleaned.replace(/^_+|_+$/gu, '').toLocaleLowerCase('en');
}

export function chooseBackup(files: readonly BackupFileRow[], course: CourseToMatch): BackupChoice {
  const wanted = new Set([shortnameInFilename(course.shortname)]);
  if (course.bleuCourseId !== undefined) wanted.add(String(course.bleuCourseId));

  const matching = files
    .map((file) => ({ file, parsed: parseBackupFilename(file.filename) }))
    .filter((item): item is { file: BackupFileRow; parsed: ParsedBackupName } =>
      item.parsed !== undefined ? wanted.has(item.parsed.name) : false,
    );
  // The table's time is exact; the name's stamp is to the minute. Compare like with like.
  const byTableTime = matching.every((item) => item.file.time !== undefined);
  const sortKey = (item: (typeof matching)[number]) =>
    byTableTime && item.file.time ? item.file.time.toISOString() : item.parsed.stamp;
  matching.sort((a, b) => sortKey(b).localeCompare(sortKey(a)));

  const [newest, second] = matching;
  if (!newest) {
    const hint =
      files.length === 0 ? 'the area is empty' : `it holds ${files.map((f) => f.filename).join(', ')}`;
    return {
      kind: 'none',
      reason: `no backup of "${course.shortname}" in the user private backup area (${hint})`,
    };
  }
  if (second && sortKey(second) === sortKey(newest)) {
    const tied = matching.filter((item) => sortKey(item) === sortKey(newest));
    return {
      kind: 'ambiguous',
      reason: `${tied.length} backups of "${course.shortname}" are equally recent: ${tied.map((t) => t.file.filename).join(', ')}`,
      candidates: tied.map((item) => item.file),
    };
  }
  return {
    kind: 'chosen',
    file: newest.file,
    parsed: newest.parsed,
    others: matching.slice(1).map((item) => item.file),
  };
}
