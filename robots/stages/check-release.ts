import { resolveSite } from '../../pages/moodle-site.js';
import type { StageRunner } from '../stage-runner.js';

/**
 * Vert as it is: its Moodle release (checked against MOODLE_VERSION), its theme, and the selectors and
 * precheck notices that go with them, read once per browser session.
 */
export async function checkRelease(run: StageRunner): Promise<void> {
  run.at('check the Moodle release');
  const { page, vertUrl, expectedRelease } = run.deps;
  const vert = await resolveSite(page, vertUrl, expectedRelease);
  run.useVert(vert);
  const { release, theme } = vert.site;
  run.log.info(
    { release, theme },
    `vert runs Moodle ${release}, theme ${theme.name ?? '(unnamed)'} (${theme.family})`,
  );
}
