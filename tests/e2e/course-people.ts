import { vertCount, vertText } from './course-state.js';

/** Who is enrolled in a vert course and how, read from the database: "username:method", sorted. */
export async function enrolmentsOf(courseId: number): Promise<string[]> {
  return lines(
    await vertText(
      `SELECT u.username || ':' || e.enrol FROM mdl_user_enrolments ue JOIN mdl_enrol e ON e.id = ue.enrolid JOIN mdl_user u ON u.id = ue.userid WHERE e.courseid = ${courseId} ORDER BY 1`,
    ),
  );
}

/** The role assignments in a vert course: "username:role shortname", sorted. */
export async function rolesOf(courseId: number): Promise<string[]> {
  return lines(
    await vertText(
      `SELECT u.username || ':' || r.shortname FROM mdl_role_assignments ra JOIN mdl_context c ON c.id = ra.contextid AND c.contextlevel = 50 JOIN mdl_user u ON u.id = ra.userid JOIN mdl_role r ON r.id = ra.roleid WHERE c.instanceid = ${courseId} ORDER BY 1`,
    ),
  );
}

/** Files in an account's private backup area (component user, filearea backup). */
export async function privateBackupsOf(username: string): Promise<number> {
  return vertCount(
    `SELECT count(*) FROM mdl_files f JOIN mdl_context c ON c.id = f.contextid AND c.contextlevel = 30 JOIN mdl_user u ON u.id = c.instanceid WHERE u.username = '${username}' AND f.component = 'user' AND f.filearea = 'backup' AND f.filename <> '.'`,
  );
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}
