import { DEMO_USERS, type DemoCourse } from './demo-data.js';
import { sitePaths, type MoodleVersion } from './paths.js';
import { prepareSite, runNightlyBackups } from './site.js';
import { loadState } from './state.js';

/**
 * Adds course pairs to a seeded harness (bleu with content and last night's backup, vert's empty
 * twin), for runs that need more courses than the demo has. `reset` removes them.
 */
export async function addCoursePairs(
  version: MoodleVersion,
  shortnames: readonly string[],
  content: DemoCourse['content'] = 'rich',
): Promise<Record<string, number>> {
  const state = loadState(version);
  const courses: DemoCourse[] = shortnames.map((shortname) => ({
    shortname,
    fullname: `Course ${shortname}`,
    sites: ['bleu', 'vert'],
    content,
    sections: ['Présentation', 'Ressources', 'Évaluations', 'Bilan'],
    expected: 'restored',
    why: 'added course pair',
  }));
  const common = {
    mode: 'add-courses',
    token: state.token,
    yearlabel: '24/25',
    users: DEMO_USERS.map((user) => ({ ...user, password: state.demoPassword })),
    courses,
  };
  const bleu = sitePaths(version, 'bleu');
  const vert = sitePaths(version, 'vert');
  await prepareSite(bleu, { ...common, role: 'bleu', bleuurl: bleu.wwwroot, asyncrestore: true });
  const added = await prepareSite(vert, {
    ...common,
    role: 'vert',
    bleuurl: bleu.wwwroot,
    asyncrestore: true,
  });
  await runNightlyBackups(bleu);
  return added.courses;
}
