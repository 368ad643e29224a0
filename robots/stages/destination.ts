import type { SiteContext } from '../../pages/moodle-site.js';
import { RestoreDestinationPage } from '../../pages/restore-destination-page.js';
import { planDestination } from '../../rules/settings-plan.js';
import type { StageRunner } from '../stage-runner.js';

/** The wizard's Destination stage: this course, as the profile says (its content deleted first). */
export function chooseDestination(run: StageRunner, wizard: SiteContext): Promise<void> {
  return run.on(wizard.page, 'destination', async () => {
    await run.expectStage(wizard.page, 'destination');
    const destination = new RestoreDestinationPage(wizard);
    const plan = planDestination(run.deps.profile, { offered: await destination.offeredTargets() });
    if (plan.blocking) run.refuse(plan.reason);
    await destination.chooseTarget(plan.target);
    if ((await destination.chosenTarget()) !== plan.target)
      run.fail(`target ${plan.target} could not be selected`);
    await run.evidence.capture(wizard.page, 'destination chosen', 'before');
    await destination.continue();
  });
}
