import { defineProfile, ENROLMENTS } from '../profile.js';

/**
 * The restore settings prescribed by CEMU's procedure "Changement de plateforme & Restauration de cours"
 * (shared/seed/restauration_cours_plateforme_n_1.txt, step 3 "Réglages de restauration").
 *
 * The seed lists every root setting and marks four with ✖ (users, calendar events, H5P user state,
 * legacy course files); the others are listed without a mark and read here as "included".
 * Where the seed is ambiguous, the entry's note says so and how it is read.
 */
export default defineProfile({
  id: 'cemu-2425',
  description: 'CEMU 2024-2025 → 2025-2026 course restore (ecampus bleu → ecampus vert)',
  source: 'shared/seed/restauration_cours_plateforme_n_1.txt, "Étape 3: Réglages de restauration"',
  root: [
    {
      setting: 'users',
      desired: false,
      required: true,
      note: '"Inclure les utilisateurs inscrits ✖ la fonction est désactivée": teachers lack moodle/restore:userinfo, so Moodle locks it off',
    },
    {
      setting: 'enrolments',
      desired: ENROLMENTS.withUsers,
      required: false,
      note: '"Oui, mais seulement si les utilisateurs sont inclus". A backup without users offers only No/Yes; Moodle then defaults to No, which has the same effect',
    },
    {
      setting: 'role_assignments',
      desired: true,
      required: false,
      note: 'Listed as included; depends on users, so Moodle locks it off when users are excluded',
    },
    { setting: 'permissions', desired: true, required: false, note: 'Listed as included' },
    {
      setting: 'activities',
      desired: true,
      required: true,
      note: 'Listed as included; without it nothing of the course is restored',
    },
    { setting: 'blocks', desired: true, required: false, note: 'Listed as included' },
    { setting: 'filters', desired: true, required: false, note: 'Listed as included' },
    {
      setting: 'comments',
      desired: true,
      required: false,
      note: 'Listed as included; depends on users (locked off without them)',
    },
    {
      setting: 'badges',
      desired: true,
      required: false,
      note: 'Listed as included; depends on users and activities',
    },
    {
      setting: 'calendarevents',
      desired: false,
      required: true,
      note: '"Inclure les événements du calendrier ✖": last year\'s dates must not reach this year\'s calendar',
    },
    {
      setting: 'userscompletion',
      desired: true,
      required: false,
      note: 'Listed without a mark; depends on users, so it is off in practice. Ambiguous: read as "leave as Moodle offers"',
    },
    {
      setting: 'logs',
      desired: true,
      required: false,
      note: 'Listed without a mark; depends on users, so it is off in practice. Ambiguous: read as "leave as Moodle offers"',
    },
    {
      setting: 'grade_histories',
      desired: true,
      required: false,
      note: 'Listed without a mark; depends on users, so it is off in practice. Ambiguous: read as "leave as Moodle offers"',
    },
    {
      setting: 'groups',
      desired: true,
      required: false,
      note: '"Si vous avez créé des groupes de travail": ambiguous condition; including groups of a course that has none restores nothing, so always on',
    },
    {
      setting: 'competencies',
      desired: true,
      required: false,
      note: 'Listed as included; absent when competencies are disabled on the site',
    },
    { setting: 'customfield', desired: true, required: false, note: 'Listed as included' },
    {
      setting: 'contentbankcontent',
      desired: true,
      required: false,
      note: 'Listed as included ("(H5P)")',
    },
    {
      setting: 'xapistate',
      desired: false,
      required: true,
      note: "\"Inclure l'état d'avancement de l'utilisateur dans les activités telles que H5P ✖\"",
    },
    {
      setting: 'legacyfiles',
      desired: false,
      required: true,
      note: '"Inclure les fichiers de cours obsolètes ✖"',
    },
  ],
  schema: {
    keepRolesAndEnrolments: true,
    keepGroupsAndGroupings: true,
    overwriteCourseConfiguration: false,
  },
});
