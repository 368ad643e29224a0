import { expect, test } from '@playwright/test';
import { parseCourseList } from '../../batch/course-list.js';
import { sameCourseTwice } from '../../batch/same-course-twice.js';

const vert: Record<string, number> = { 'ANG-EC1': 12, 'HIST-GRP': 13, 'BIO-LARGE': 14 };
const lookUp = (looked: string[]) => (shortname: string) => {
  looked.push(shortname);
  return Promise.resolve(vert[shortname] ?? `no vert course has the short name "${shortname}"`);
};

test('one course by its id and by its short name: both lines named', async () => {
  const courses = parseCourseList('course,note\n12,by id\nHIST-GRP\nANG-EC1,by name\nNOPE\n');
  const looked: string[] = [];
  expect(await sameCourseTwice(courses, lookUp(looked))).toEqual([
    'line 4: "ANG-EC1" is vert course 12, already listed by its id on line 2',
  ]);
  expect(looked).toEqual(['HIST-GRP', 'ANG-EC1', 'NOPE']);
});

test('a list of ids only, or of short names only, is not looked up', async () => {
  const looked: string[] = [];
  expect(await sameCourseTwice(parseCourseList('course\n12\n13\n'), lookUp(looked))).toEqual([]);
  expect(await sameCourseTwice(parseCourseList('course\nANG-EC1\nHIST-GRP\n'), lookUp(looked))).toEqual([]);
  expect(looked).toEqual([]);
});

test('different courses by id and short name pass', async () => {
  const courses = parseCourseList('course\n12\nHIST-GRP\n');
  expect(await sameCourseTwice(courses, lookUp([]))).toEqual([]);
});
