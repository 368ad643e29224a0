import { prepareSite } from './site.js';
import { sitePaths } from './paths.js';
import { loadState } from './state.js';
import { DEMO_COURSES, DEMO_USERS } from './demo-data.js';
const role = process.argv[2] as 'bleu' | 'vert';
const state = loadState('4.5');
const site = sitePaths('4.5', role);
const t = Date.now();
const r = await prepareSite(site, {
  role,
  asyncrestore: true,
  token: state.token,
  bleuurl: sitePaths('4.5', 'bleu').wwwroot,
  yearlabel: '24/25',
  users: DEMO_USERS.map((u) => ({ ...u, password: state.demoPassword })),
  courses: DEMO_COURSES,
});
console.log(r, Date.now() - t);
