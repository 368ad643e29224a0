import { detectRelease, releaseTraits, type ReleaseTraits } from '../../pages/moodle-release.js';
import type { StageRunner } from '../stage-runner.js';

/** The Moodle release vert runs: what its pages look like and which precheck notices are known. */
export async function checkRelease(run: StageRunner): Promise<ReleaseTraits> {
  run.at('check the Moodle release');
  const { page, vertUrl, expectedRelease } = run.deps;
  const traits = releaseTraits(await detectRelease(page, vertUrl, expectedRelease));
  run.log.info({ release: traits.release }, `vert runs Moodle ${traits.release}`);
  return traits;
}
