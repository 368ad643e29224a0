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
  const headerLine = header.info.lines;
  const columns = header.record.map((name, index) => {
    const column = COLUMN_ALIASES[name.toLowerCase()];
    if (!column) {
      problems.push(
        `line ${headerLine}, column ${columnLetter(index)}: unknown column "${name}" (expected course, bleu_shortname, note)`,
      );
      return undefined;
    }
    const first = header.record.findIndex((other) => COLUMN_ALIASES[other.toLowerCase()] === column);
    if (first !== index) {
      problems.push(
        `line ${headerLine}, column ${columnLetter(index)}: "${name}" is the ${column} column again (already column ${columnLetter(first)})`,
      );
      return undefined;
    }
    return column;
  });
  const cell = (line: number, column: 'course' | 'bleu_shortname') =>
    `line ${line}, column ${columnLetter(columns.indexOf(column))} (${header.record[columns.indexOf(column)] ?? column})`;
  // Without a course column no line can be read; an unknown or repeated column hides no line's problems.
  if (!columns.includes('course')) {
    problems.push(`line ${headerLine}: the header has no "course" column`);
    throw new CourseListError(file, byLine(problems));
  }

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
    // The same course twice is said even when one of its lines has another problem.
    const key = target.kind === 'id' ? `id:${target.id}` : `shortname:${target.shortname}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      problems.push(`${cell(line, 'course')}: "${course}" is already listed on line ${firstLine}`);
      continue;
    }
    seen.set(key, line);
    const bleuShortname = value('bleu_shortname');
    if (bleuShortname !== undefined && !isValidShortname(bleuShortname)) {
      problems.push(`${cell(line, 'bleu_shortname')}: not a valid course short name`);
      continue;
    }
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
    return { rows: startingLines(text, parse(text, CSV_OPTIONS) as unknown as ParsedRow[]), quoting: [] };
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
  }
  const rows: Row[] = [];
  const quoting: string[] = [];
  const lines = text.split(/\r?\n/);
  const one = (chunk: string): Row | undefined | CsvError => {
    try {
      const [row, more] = parse(chunk, CSV_OPTIONS) as unknown as Row[];
      return more === undefined ? row : undefined;
    } catch (error) {
      if (!(error instanceof CsvError)) throw error;
      return error;
    }
  };
  for (let index = 0; index < lines.length; index += 1) {
    const line = index + 1;
    const alone = one(lines[index] ?? '');
    if (!(alone instanceof CsvError)) {
      if (alone) rows.push({ record: alone.record, info: { lines: line } });
      continue;
    }
    // A quote left open on this line may be a value over several lines, closed further down: read as one
    // record when the lines up to its close read as exactly one; else this line is named as broken.
    let joined: Row | undefined;
    if (alone.code === 'CSV_QUOTE_NOT_CLOSED') {
      for (let last = index + 1; last < Math.min(lines.length, index + MAX_LINES_IN_A_VALUE); last += 1) {
        const attempt = one(lines.slice(index, last + 1).join('\n'));
        if (attempt instanceof CsvError && attempt.code === 'CSV_QUOTE_NOT_CLOSED') continue;
        if (attempt !== undefined && !(attempt instanceof CsvError)) {
          joined = attempt;
          rows.push({ record: attempt.record, info: { lines: line } });
          index = last;
        }
        break;
      }
    }
    if (joined === undefined) quoting.push(quotingProblem(alone, line));
  }
  return { rows, quoting };
}

/** How far down a value's closing quote is looked for when the file's quoting is broken elsewhere. */
const MAX_LINES_IN_A_VALUE = 100;

type ParsedRow = { record: string[]; info: { bytes: number } };

/**
 * Each record at the line a spreadsheet shows it on: the line where it starts. The parser's own line
 * count is where a record ends (a quoted value over two lines puts every later line one off) and counts
 * a line break inside quotes written \r\n as two; the start is found from the byte where the previous
 * record ended, past any blank line.
 */
function startingLines(text: string, parsed: readonly ParsedRow[]): Row[] {
  const bytes = Buffer.from(text, 'utf8');
  const lineStarts = [0];
  for (let at = 0; at < bytes.length; at += 1) {
    const byte = bytes[at];
    if (byte === LF || (byte === CR && bytes[at + 1] !== LF)) lineStarts.push(at + 1);
  }
  // Records come in the file's order: the line only moves forward.
  let line = 1;
  const lineOf = (offset: number) => {
    while (line < lineStarts.length && (lineStarts[line] ?? Infinity) <= offset) line += 1;
    return line;
  };
  let previousEnd = 0;
  return parsed.map(({ record, info }) => {
    let start = previousEnd;
    // Blank lines before the record (the parser skips them): the record starts after them.
    for (let at = start; at < info.bytes; at += 1) {
      const byte = bytes[at];
      if (byte === LF || byte === CR) start = at + 1;
      else if (byte !== SPACE && byte !== TAB) break;
    }
    previousEnd = info.bytes;
    return { record, info: { lines: lineOf(start) } };
  });
}

const LF = 0x0a;
const CR = 0x0d;
const SPACE = 0x20;
const TAB = 0x09;

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
