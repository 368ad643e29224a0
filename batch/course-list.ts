import { readFile } from 'node:fs/promises';
import { CsvError, parse, type Options } from 'csv-parse/sync';
import { restoreNeutralised } from './csv-cell.js';
import { isValidShortname, parseCourseTarget, type CourseTarget } from '../domain/course-target.js';

/** One line of a batch file: which vert course to restore, and from which bleu course. */
export interface CourseRequest {
  line: number;
  /** The course on vert, by id or short name. */
  target: CourseTarget;
  /** The bleu short name, when it differs from the vert one. */
  bleuShortname?: string;
  note?: string;
}

export class CourseListError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly string[],
  ) {
    super(
      `${file} is not a valid course list; nothing was run:\n${problems.map((p) => `  - ${p}`).join('\n')}`,
    );
    this.name = 'CourseListError';
  }
}

const COLUMN_ALIASES: Record<string, 'course' | 'bleu_shortname' | 'note'> = {
  course: 'course',
  cours: 'course',
  vert: 'course',
  bleu_shortname: 'bleu_shortname',
  bleu: 'bleu_shortname',
  note: 'note',
  comment: 'note',
};

export async function readCourseList(file: string): Promise<CourseRequest[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new CourseListError(file, [`cannot read the file: ${(error as Error).message}`]);
  }
  return parseCourseList(text, file);
}

/** Parses and validates a whole course list; any problem rejects the whole file. */
export function parseCourseList(text: string, file = 'course list'): CourseRequest[] {
  const { rows, quoting } = readRows(text);
  const [header, ...body] = rows;
  if (!header)
    throw new CourseListError(file, [
      'the file is empty: expected a header line "course,bleu_shortname,note"',
    ]);

  const problems: string[] = [...quoting];
  const columns = header.record.map((name, index) => {
    const column = COLUMN_ALIASES[name.toLowerCase()];
    if (!column) {
      problems.push(
        `line ${header.info.lines}, column ${columnLetter(index)}: unknown column "${name}" (expected course, bleu_shortname, note)`,
      );
    }
    return column;
  });
  const cell = (line: number, column: 'course' | 'bleu_shortname') =>
    `line ${line}, column ${columnLetter(columns.indexOf(column))} (${header.record[columns.indexOf(column)] ?? column})`;
  if (!columns.includes('course'))
    problems.push(`line ${header.info.lines}: the header has no "course" column`);
  if (problems.length > quoting.length) throw new CourseListError(file, problems);

  const seen = new Map<string, number>();
  const requests: CourseRequest[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length > columns.length) {
      const extra =
        record.length > columns.length + 1
          ? `columns ${columnLetter(columns.length)} to ${columnLetter(record.length - 1)} are extra`
          : `column ${columnLetter(columns.length)} is extra`;
      problems.push(
        `line ${line}: ${record.length} values for the ${columns.length} columns of the header (${extra}: a delimiter too many, or a value holding a comma or semicolon without quotes?)`,
      );
      continue;
    }
    const value = (column: string) => {
      const index = columns.indexOf(column as (typeof columns)[number]);
      // A cell our own CSVs kept from being read as a formula ('=…, '-…) stands for the text after its apostrophe.
      const cell = index >= 0 ? record[index] : undefined;
      return cell === undefined || cell === '' ? undefined : restoreNeutralised(cell);
    };
    const course = value('course');
    if (course === undefined) {
      problems.push(`${cell(line, 'course')}: empty (give the vert course id or short name)`);
      continue;
    }
    const target = parseCourseTarget(course);
    if (typeof target === 'string') {
      problems.push(`${cell(line, 'course')}: ${target}`);
      continue;
    }
    const bleuShortname = value('bleu_shortname');
    if (bleuShortname !== undefined && !isValidShortname(bleuShortname)) {
      problems.push(`${cell(line, 'bleu_shortname')}: not a valid course short name`);
      continue;
    }
    const key = target.kind === 'id' ? `id:${target.id}` : `shortname:${target.shortname}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      problems.push(`${cell(line, 'course')}: "${course}" is already listed on line ${firstLine}`);
      continue;
    }
    seen.set(key, line);
    const note = value('note');
    requests.push({
      line,
      target,
      ...(bleuShortname !== undefined && { bleuShortname }),
      ...(note !== undefined && { note }),
    });
  }
  if (problems.length > 0) throw new CourseListError(file, byLine(problems));
  if (requests.length === 0) throw new CourseListError(file, ['no course listed below the header']);
  return requests;
}

/** A column as a spreadsheet names it: A, B, … Z, AA, … */
export function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  return letters;
}

type Row = { record: string[]; info: { lines: number } };

const CSV_OPTIONS: Options = {
  bom: true,
  delimiter: [',', ';'],
  info: true,
  relax_column_count: true,
  skip_empty_lines: true,
  trim: true,
};

/**
 * The file's records. When its quoting is broken, the parser's view of every later line depends on
 * where it thinks a quote closed: each line is then read on its own, so that each broken line is
 * named at its own line and column, and the others are still checked.
 */
function readRows(text: string): { rows: Row[]; quoting: string[] } {
  try {
    return { rows: parse(text, CSV_OPTIONS) as unknown as Row[], quoting: [] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
  }
  const rows: Row[] = [];
  const quoting: string[] = [];
  text.split(/\r?\n/).forEach((lineText, index) => {
    const line = index + 1;
    try {
      const [row] = parse(lineText, CSV_OPTIONS) as unknown as Row[];
      if (row) rows.push({ record: row.record, info: { lines: line } });
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      quoting.push(quotingProblem(error, line));
    }
  });
  return { rows, quoting };
}

/** A quoting error, at the line and column where the person has to look. */
function quotingProblem(error: CsvError, line: number): string {
  const column = (error as { column?: number }).column;
  const at = `line ${line}${column === undefined ? '' : `, column ${columnLetter(column)}`}`;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return `${at}: a quote is opened and never closed`;
    case 'INVALID_OPENING_QUOTE':
      return `${at}: a quote inside a value that does not start with one (put the whole value in quotes, with "" for each quote in it)`;
    case 'CSV_INVALID_CLOSING_QUOTE':
      return `${at}: text after a closing quote (put the whole value in quotes, with "" for each quote in it)`;
    default:
      return `${at}: ${error.message}`;
  }
}

/** Problems in the order of the file's lines (a stable sort: one line's problems keep their order). */
function byLine(problems: readonly string[]): string[] {
  const lineOf = (problem: string) => Number(/^line (\d+)/.exec(problem)?.[1] ?? 0);
  return [...problems].sort((a, b) => lineOf(a) - lineOf(b));
}
