import { predictedLosses } from '../../rules/access-loss.js';
import { enrolmentImpact } from '../../rules/enrolment-impact.js';
import {
  headerPlan,
  identifyRestorer,
  predictedHeader,
  type HeaderPlan,
  type Restorer,
} from '../../rules/restorer-role.js';
import { enrolmentLossRefusal } from '../restorer-access.js';
import type { StageRunner } from '../stage-runner.js';
import type { CoursePeople } from './read-participants.js';

/**
 * Who runs the restore decides the Schema header; who would lose access is known now, before any change.
 */
export async function predictAccessLoss(
  run: StageRunner,
  people: CoursePeople,
): Promise<{ restorer: Restorer; plan: HeaderPlan }> {
  const restorer = identifyRestorer(people.users, people.restorerId);
  const plan = headerPlan(restorer.kind, run.deps.profile);
  const predicted = predictedLosses(
    enrolmentImpact(predictedHeader(plan), people.users, people.restorerId).users,
    people.users,
    people.restorerId,
  );
  await run.evidence.attach('restorer', { ...restorer, headerPlan: plan, predictedLosses: predicted });
  run.log.info({ restorer: restorer.kind, headerPlan: plan }, `restoring as ${restorer.kind}`);
  if (predicted.length > 0 && run.deps.allowEnrolmentLoss !== true)
    run.refuse(enrolmentLossRefusal(predicted, plan, 'predicted'), 'read the participants');
  return { restorer, plan };
}
