import type { AccessLoss } from '../../domain/outcome.js';
import { ParticipantsPage } from '../../pages/participants-page.js';
import { compareParticipants } from '../../rules/access-loss.js';
import type { StageRunner } from '../stage-runner.js';
import type { CoursePeople } from './read-participants.js';

/**
 * Who lost an enrolment or a role, participants before and after compared. The course is restored:
 * a page that cannot be read now is reported (undefined), not a failed restore.
 */
export async function compareTheParticipants(
  run: StageRunner,
  people: CoursePeople,
): Promise<AccessLoss[] | undefined> {
  const { page } = run.vert;
  return run
    .onVert('compare the participants', async () => {
      const participants = new ParticipantsPage(run.vert);
      await participants.goto(run.course.courseId, people.users.length);
      await run.stopOnMoodleError(page, 'compare the participants');
      const after = await participants.enrolledUsers();
      const lost = compareParticipants(people.users, after);
      await run.evidence.attach('participants-after', { users: after, lost });
      return lost;
    })
    .catch((error: unknown) => {
      run.log.warn(
        { step: run.step },
        `participants not compared: ${error instanceof Error ? error.message : String(error)}`,
      );
      return undefined;
    });
}
