import { checkBleuCourse, type BleuCourse } from '../bleu-preflight.js';
import type { StageRunner } from '../stage-runner.js';

/** The previous course exists on bleu and this user reaches it. */
export function checkBleu(run: StageRunner, bleuShortname: string): Promise<BleuCourse> {
  const { bleuPage, bleuUrl } = run.deps;
  return run.on(bleuPage, 'check the course on bleu', async () => {
    const preflight = await checkBleuCourse(bleuPage, bleuUrl, bleuShortname);
    if (preflight.kind === 'refused') run.refuse(preflight.reason, 'check the course on bleu');
    await run.evidence.attach('bleu-course', preflight.course);
    return preflight.course;
  });
}
