import { defineProfile, ENROLMENTS, RESTORE_TARGETS } from '../profile.js';

/**
 * The restore prescribed by CEMU's procedure "Changement de plateforme & Restauration de cours"
 * (shared/seed/restauration_cours_plateforme_n_1.txt, steps 2 to 4).
 *
 * Step 3 lists every root setting and marks exactly three with ✖ (users, calendar events, H5P user
 * state); the others, legacy course files included, are listed without a mark and read as "included".
 * Where the seed is ambiguous, the entry's note says so and how it is read.
 */
export default defineProfile({
  id: 'cemu-2425',
  description: 'CEMU 2024-2025 → 2025-2026 course restore (ecampus bleu → ecampus vert)',
  source: 'shared/seed/restauration_cours_plateforme_n_1.txt, "Étape 2 : destination" to "Étape 4 : contenu"',
  destination: {
    target: RESTORE_TARGETS.currentCourseDeleting,
    note: '"Restaurer dans ce cours", "Supprimer le contenu de ce cours, puis restaurer"',
  },
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
      note: 'Listed as included; depends on users, so Moodle locks it off (expected) when users are excluded',
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
      note: 'Listed as included; depends on users, so Moodle locks it off (expected) without them',
    },
    {
      setting: 'badges',
      desired: true,
      required: false,
      note: 'Listed as included; depends on users and activities, so Moodle locks it off (expected) without users',
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
      note: 'Listed without a mark, read as included; depends on users, so Moodle locks it off (expected) without them',
    },
    {
      setting: 'logs',
      desired: true,
      required: false,
      note: 'Listed without a mark, read as included; depends on users, so Moodle locks it off (expected) without them',
    },
    {
      setting: 'grade_histories',
      desired: true,
      required: false,
      note: 'Listed without a mark, read as included; depends on users, so Moodle locks it off (expected) without them',
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
      desired: true,
      required: false,
      note: '"Inclure les fichiers de cours obsolètes" is listed without a mark, like the included settings: read as included (Moodle\'s default), not required',
    },
  ],
  schemaHeader: {
    policy: 'record-as-offered',
    note: '"Vous n\'avez pas à modifier l\'entête de la page": overwrite course configuration, keep current roles and enrolments, keep current groups are left as the site offers them, and recorded',
    otherAccount: {
      keepRolesAndEnrolments: true,
      keepGroupsAndGroupings: true,
      note: 'The seed is written for the course\'s teacher. An admin or manager restoring it would, with Moodle\'s default header, unenrol every teacher and student it may unenrol (cohort and database sync included): "Conserver les rôles et inscriptions actuels" and "Conserver les groupes et groupements actuels" are set to Yes so that nobody loses access',
    },
  },
});
