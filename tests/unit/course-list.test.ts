import { expect, test } from '@playwright/test';
import { CourseListError, parseCourseList } from '../../batch/course-list.js';

function problemsOf(text: string): readonly string[] {
  try {
    parseCourseList(text, 'courses.csv');
  } catch (error) {
    if (error instanceof CourseListError) return error.problems;
    throw error;
  }
  throw new Error('expected a CourseListError');
}

test('ids, short names, an optional bleu short name and a note', () => {
  const requests = parseCourseList(
    '\uFEFFcourse,bleu_shortname,note\n1234,,\nMATHS101,MATHS101-2425,"first year, group A"\n\n"L1 Bio",,\n',
  );
  expect(requests).toEqual([
    { line: 2, target: { kind: 'id', id: 1234 } },
    {
      line: 3,
      target: { kind: 'shortname', shortname: 'MATHS101' },
      bleuShortname: 'MATHS101-2425',
      note: 'first year, group A',
    },
    { line: 5, target: { kind: 'shortname', shortname: 'L1 Bio' } },
  ]);
});

test('a French spreadsheet export (semicolons, French column name) is read', () => {
  expect(parseCourseList('cours;note\nY2AN8A-EC1;Anglais\n')).toEqual([
    { line: 2, target: { kind: 'shortname', shortname: 'Y2AN8A-EC1' }, note: 'Anglais' },
  ]);
});

test('every problem is reported with its line and column, and nothing is returned', () => {
  expect(problemsOf('course,bleu_shortname\nMATHS101\n,\n1\nMATHS101,\nPHYS,x,extra\n')).toEqual([
    'line 3, column A (course): empty (give the vert course id or short name)',
    'line 4, column A (course): "1" is not a course id (1 is the site front page)',
    'line 5, column A (course): "MATHS101" is already listed on line 2',
    'line 6: 3 values for the 2 columns of the header (column C is extra: a delimiter too many, or a value holding a comma or semicolon without quotes?)',
  ]);
});

test('a line with too many columns is named with the extra columns, as a spreadsheet letters them', () => {
  expect(problemsOf('course;bleu_shortname;note\nA;;\nB;;;;\nC;;\n')).toEqual([
    'line 3: 5 values for the 3 columns of the header (columns D to E are extra: a delimiter too many, or a value holding a comma or semicolon without quotes?)',
  ]);
});

test('an unclosed quote is named at its own line and column, not at the end of the file', () => {
  expect(problemsOf('course,bleu_shortname,note\nA,,\nB,,\nC,"oops,\nD,,\n')).toEqual([
    'line 4, column B: a quote is opened and never closed',
  ]);
});

test('every broken line is named at once, with the other problems, in the order of the file', () => {
  expect(problemsOf('course,bleu_shortname,note\nA,,\nB,,,,\nC,"x"y,\n1,,\nE,x"y,\nF,"open\n')).toEqual([
    'line 3: 5 values for the 3 columns of the header (columns D to E are extra: a delimiter too many, or a value holding a comma or semicolon without quotes?)',
    'line 4, column B: text after a closing quote (put the whole value in quotes, with "" for each quote in it)',
    'line 5, column A (course): "1" is not a course id (1 is the site front page)',
    'line 6, column B: a quote inside a value that does not start with one (put the whole value in quotes, with "" for each quote in it)',
    'line 7, column B: a quote is opened and never closed',
  ]);
});

test('a quoted value over two lines is still one value, named at the line where it starts', () => {
  expect(parseCourseList('course,note\nMATHS101,"two\nlines"\nPHYS,\n')).toEqual([
    { line: 2, target: { kind: 'shortname', shortname: 'MATHS101' }, note: 'two\nlines' },
    { line: 4, target: { kind: 'shortname', shortname: 'PHYS' } },
  ]);
});

test('after values over several lines, each problem is named at the row a spreadsheet shows', () => {
  // Rows: 1 header, 2-3 MATHS101 (its note over two lines), 4 blank, 5 "1", 6-8 PHYS (note over three), 9 "".
  for (const newline of ['\n', '\r\n']) {
    const text = ['course,note', 'MATHS101,"two', 'lines"', '', '1,', 'PHYS,"a', '', 'b"', ',x', ''].join(
      newline,
    );
    expect(problemsOf(text)).toEqual([
      'line 5, column A (course): "1" is not a course id (1 is the site front page)',
      'line 9, column A (course): empty (give the vert course id or short name)',
    ]);
  }
  expect(parseCourseList('\uFEFFcourse,note\r\n\r\n  \r\nMATHS101,"é\r\nà"\r\nPHYS,')).toEqual([
    { line: 4, target: { kind: 'shortname', shortname: 'MATHS101' }, note: 'é\r\nà' },
    { line: 6, target: { kind: 'shortname', shortname: 'PHYS' } },
  ]);
});

test('with broken quoting elsewhere, a well-quoted value over two lines is still read as one', () => {
  expect(problemsOf('course,note\nMATHS101,"two\nlines"\nB,x"y\nC,"open\n1,\n')).toEqual([
    'line 4, column B: a quote inside a value that does not start with one (put the whole value in quotes, with "" for each quote in it)',
    'line 5, column B: a quote is opened and never closed',
    'line 6, column A (course): "1" is not a course id (1 is the site front page)',
  ]);
});

test("a header's unknown or repeated column does not hide the lines' problems", () => {
  expect(problemsOf('course,bleu,remarks,cours\nMATHS101,,x,\n1,,,\nMATHS101,,,\n')).toEqual([
    'line 1, column C: unknown column "remarks" (expected course, bleu_shortname, note)',
    'line 1, column D: "cours" is the course column again (already column A)',
    'line 3, column A (course): "1" is not a course id (1 is the site front page)',
    'line 4, column A (course): "MATHS101" is already listed on line 2',
  ]);
});

test('one course listed twice by the same id or short name is named with both lines, whatever else is wrong', () => {
  expect(problemsOf('course,bleu_shortname\n12,\nMATHS101,"bad\u0001"\n012,\nMATHS101,\n')).toEqual([
    'line 3, column B (bleu_shortname): not a valid course short name',
    'line 4, column A (course): "012" is already listed on line 2',
    'line 5, column A (course): "MATHS101" is already listed on line 3',
  ]);
});

test('a header without a course column, or with an unknown column, is rejected', () => {
  expect(problemsOf('shortname,note\nMATHS101,x\n')).toEqual([
    'line 1, column A: unknown column "shortname" (expected course, bleu_shortname, note)',
    'line 1: the header has no "course" column',
  ]);
});

test('an empty file or a header alone is rejected', () => {
  expect(problemsOf('')[0]).toMatch(/the file is empty/);
  expect(problemsOf('course\n')).toEqual(['no course listed below the header']);
});

test('broken quoting is reported by the parser with its line', () => {
  expect(problemsOf('course,note\nMATHS101,"unterminated\n')[0]).toMatch(/quote/i);
});
