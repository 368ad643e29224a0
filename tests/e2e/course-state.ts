import { psql } from '../../harness/database.js';
import { sitePaths } from '../../harness/paths.js';
import { HARNESS_VERSION } from './moodle-harness.js';

const vert = sitePaths(HARNESS_VERSION, 'vert');

async function count(sql: string): Promise<number> {
  return Number((await psql(sql, vert.database)).trim());
}

/** What a vert course holds, read from the database: compared before and after a refusal. */
export interface CourseState {
  modules: number;
  sections: number;
  namedSections: number;
  enrolments: number;
  events: number;
  restoreBlocks: number;
  finishedRestores: number;
}

/** What must not change when the robot refuses: content, enrolments, events, restores. */
export const CONTENT_KEYS = [
  'modules',
  'sections',
  'namedSections',
  'enrolments',
  'events',
  'finishedRestores',
] as const satisfies readonly (keyof CourseState)[];

export async function courseState(courseId: number): Promise<CourseState> {
  const [modules, sections, namedSections, enrolments, events, restoreBlocks, finishedRestores] =
    await Promise.all([
      count(`SELECT count(*) FROM mdl_course_modules WHERE course = ${courseId}`),
      count(`SELECT count(*) FROM mdl_course_sections WHERE course = ${courseId}`),
      count(
        `SELECT count(*) FROM mdl_course_sections WHERE course = ${courseId} AND name IS NOT NULL AND name <> ''`,
      ),
      count(
        `SELECT count(*) FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid WHERE e.courseid = ${courseId}`,
      ),
      count(`SELECT count(*) FROM mdl_event WHERE courseid = ${courseId}`),
      count(
        `SELECT count(*) FROM mdl_block_instances bi JOIN mdl_context c ON c.id = bi.parentcontextid WHERE c.instanceid = ${courseId} AND c.contextlevel = 50 AND bi.blockname = 'ecampus_restore'`,
      ),
      // Moodle keeps a controller per restore; 1000 is "finished OK". The proof that a course was restored once.
      count(
        `SELECT count(*) FROM mdl_backup_controllers WHERE operation = 'restore' AND type = 'course' AND itemid = ${courseId} AND status = 1000`,
      ),
    ]);
  return { modules, sections, namedSections, enrolments, events, restoreBlocks, finishedRestores };
}

export async function vertCount(sql: string): Promise<number> {
  return count(sql);
}

export async function vertText(sql: string): Promise<string> {
  return psql(sql, vert.database);
}
