import type { CourseRequest } from './course-list.js';

/**
 * Lines of a course list that name one vert course twice, once by its id and once by its short name
 * (the same key twice is caught when the file is read). Only a list that mixes ids and short names
 * can, so only then are its short names looked up: one course search each.
 */
export async function sameCourseTwice(
  courses: readonly CourseRequest[],
  idOfShortname: (shortname: string) => Promise<number | string>,
): Promise<string[]> {
  const byId = new Map<number, CourseRequest>();
  for (const request of courses) if (request.target.kind === 'id') byId.set(request.target.id, request);
  if (byId.size === 0 || byId.size === courses.length) return [];
  const problems: string[] = [];
  for (const request of courses) {
    if (request.target.kind !== 'shortname') continue;
    const id = await idOfShortname(request.target.shortname);
    const other = typeof id === 'number' ? byId.get(id) : undefined;
    if (other !== undefined)
      problems.push(
        `line ${request.line}: "${request.target.shortname}" is vert course ${id}, already listed by its id on line ${other.line}`,
      );
  }
  return problems;
}
