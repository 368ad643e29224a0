import { checkBleuCourse, type BleuCourse } from '../bleu-preflight.js';
import type { StageRunner } from '../stage-runner.js';
import { namesMoodleRestores } from '../../rules/restorable-names.js';

/** The previous course exists on bleu and this user reaches it. */
export function checkBleu(run: StageRunner, bleuShortname: string): Promise<BleuCourse> {
  const { bleuPage, bleuUrl } = run.deps;
  return run.on(bleuPage, 'check the course on bleu', async () => {
    const preflight = await checkBleuCourse(bleuPage, bleuUrl, bleuShortname);
    if (preflight.kind === 'refused') run.refuse(preflight.reason, 'check the course on bleu');
    // The name asked of bleu, as stored: the services list names with their tags removed.
    const names = namesMoodleRestores({ shortname: bleuShortname });
    if (names.verdict === 'refuse') run.refuse(names.detail, 'check the course on bleu');
    await run.evidence.attach('bleu-course', preflight.course);
    return preflight.course;
  });
}
