import type { EnrolledUser } from '../../domain/people.js';
import { CourseServices } from '../../pages/course-services.js';
import { ParticipantsPage } from '../../pages/participants-page.js';
import type { StageRunner } from '../stage-runner.js';

export interface CoursePeople {
  /** The logged-in user, who runs the restore. */
  restorerId: number;
  users: EnrolledUser[];
}

/** Who is enrolled in the vert course before anything changes, and the course's short name. */
export async function readParticipants(
  run: StageRunner,
): Promise<{ people: CoursePeople; shortname: string }> {
  const { page } = run.vert;
  const { courseId } = run.course;
  return run.onVert('read the participants', async () => {
    const participants = new ParticipantsPage(run.vert);
    await participants.goto(courseId);
    await run.stopOnMoodleError(page);
    const restorerId = await participants.currentUserId();
    if (restorerId === undefined) run.fail('the participants page does not say who is logged in');
    const people = { restorerId, users: await participants.enrolledUsers() };
    await run.evidence.attach('participants-before', people);
    const fullname = await participants.courseFullname();
    const courses = new CourseServices(run.vert);
    const listed = (await courses.searchCourses(fullname)).find(
      (candidate) => candidate.id === courseId,
    )?.shortname;
    if (!listed) run.fail(`course ${courseId} ("${fullname}") is not found by Moodle's course search`);
    // The search lists names with their tags removed: the settings form holds the name as stored.
    const shortname = (await courses.storedShortname(courseId)) ?? listed;
    return { people, shortname };
  });
}
