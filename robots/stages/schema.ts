import type { SiteContext } from '../../pages/moodle-site.js';
import { RestoreSchemaPage } from '../../pages/restore-schema-page.js';
import { predictedLosses } from '../../rules/access-loss.js';
import { enrolmentImpact } from '../../rules/enrolment-impact.js';
import type { HeaderPlan, Restorer } from '../../rules/restorer-role.js';
import { enrolmentLossRefusal, setSchemaHeader } from '../restorer-access.js';
import type { StageRunner } from '../stage-runner.js';
import type { CoursePeople } from './read-participants.js';

/**
 * The wizard's Schema stage: the header as planned for this restorer, the enrolment guard on the
 * header as applied, and every item of the backup included.
 */
export function setSchema(
  run: StageRunner,
  wizard: SiteContext,
  people: CoursePeople,
  { restorer, plan }: { restorer: Restorer; plan: HeaderPlan },
): Promise<void> {
  return run.on(wizard.page, 'schema', async () => {
    await run.expectStage(wizard.page, 'schema');
    const schema = new RestoreSchemaPage(wizard);
    const { offered, header, notApplied } = await setSchemaHeader(schema, plan);
    const impact = enrolmentImpact(
      {
        ...(header.overwriteConf !== undefined && {
          overwriteCourseConfiguration: header.overwriteConf === 1,
        }),
        keepRolesAndEnrolments: header.keepRolesAndEnrolments === 1,
        keepGroupsAndGroupings: header.keepGroupsAndGroupings === 1,
      },
      people.users,
      people.restorerId,
    );
    await run.evidence.attach('enrolment-impact', { offered, applied: header, notApplied, ...impact });
    const losses = predictedLosses(impact.users, people.users, people.restorerId);
    if (losses.length > 0) {
      const reason = enrolmentLossRefusal(losses, plan, 'as applied', notApplied);
      if (run.deps.allowEnrolmentLoss !== true) run.refuse(reason);
      run.log.warn({ step: run.step }, reason);
    }
    await schema.includeEverything();
    const includes = await schema.includes();
    await run.evidence.attach('schema', { header, headerPlan: plan, restorer: restorer.kind, includes });
    const excluded = Object.entries(includes).filter(([, checked]) => !checked);
    if (excluded.length > 0)
      run.refuse(`items the backup has could not be included: ${excluded.map(([name]) => name).join(', ')}`);
    await schema.next();
  });
}
