import { readFile } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { restoreNeutralised } from './csv-cell.js';

/** One line of a batch file: which vert course to restore, and from which bleu course. */
export interface CourseRequest {
  line: number;
  /** The course on vert, by id or short name. */
  target: { kind: 'id'; id: number } | { kind: 'shortname'; shortname: string };
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

const MAX_SHORTNAME_LENGTH = 255;
// eslint-disable-next-line no-control-regex
const CONTROL_CHARACTERS = /[\u0000-\u001f\u007f]/u;

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
  let rows: { record: string[]; info: { lines: number } }[];
  try {
    rows = parse(text, {
      bom: true,
      delimiter: [',', ';'],
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      trim: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    throw new CourseListError(file, [(error as Error).message]);
  }

  const [header, ...body] = rows;
  if (!header)
    throw new CourseListError(file, [
      'the file is empty: expected a header line "course,bleu_shortname,note"',
    ]);

  const problems: string[] = [];
  const columns = header.record.map((name, index) => {
    const column = COLUMN_ALIASES[name.toLowerCase()];
    if (!column) {
      problems.push(
        `line ${header.info.lines}, column ${index + 1}: unknown column "${name}" (expected course, bleu_shortname, note)`,
      );
    }
    return column;
  });
  if (!columns.includes('course'))
    problems.push(`line ${header.info.lines}: the header has no "course" column`);
  if (problems.length > 0) throw new CourseListError(file, problems);

  const seen = new Map<string, number>();
  const requests: CourseRequest[] = [];
  for (const { record, info } of body) {
    const line = info.lines;
    if (record.length > columns.length) {
      problems.push(`line ${line}: ${record.length} values for ${columns.length} columns`);
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
      problems.push(`line ${line}, column course: empty (give the vert course id or short name)`);
      continue;
    }
    const target = parseTarget(course);
    if (typeof target === 'string') {
      problems.push(`line ${line}, column course: ${target}`);
      continue;
    }
    const bleuShortname = value('bleu_shortname');
    if (bleuShortname !== undefined && !isValidShortname(bleuShortname)) {
      problems.push(`line ${line}, column bleu_shortname: not a valid course short name`);
      continue;
    }
    const key = target.kind === 'id' ? `id:${target.id}` : `shortname:${target.shortname}`;
    const firstLine = seen.get(key);
    if (firstLine !== undefined) {
      problems.push(`line ${line}, column course: "${course}" is already listed on line ${firstLine}`);
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
  if (problems.length > 0) throw new CourseListError(file, problems);
  if (requests.length === 0) throw new CourseListError(file, ['no course listed below the header']);
  return requests;
}

function parseTarget(value: string): CourseRequest['target'] | string {
  if (/^\d+$/.test(value)) {
    const id = Number(value);
    return Number.isSafeInteger(id) && id > 1
      ? { kind: 'id', id }
      : `"${value}" is not a course id (1 is the site front page)`;
  }
  return isValidShortname(value)
    ? { kind: 'shortname', shortname: value }
    : `"${value}" is not a valid course short name`;
}

function isValidShortname(value: string): boolean {
  return value.length <= MAX_SHORTNAME_LENGTH && !CONTROL_CHARACTERS.test(value);
}
