import type { ReportLanguage } from '../../config/env.js';
import { sectionsCounted } from '../../rules/section-count.js';

/** The outcomes the page counts even when none happened, in the order an admin reads them. */
export const COUNTED_OUTCOMES = [
  'restored',
  'refused',
  'failed',
  'emptied',
  'already-restored',
  'claimed-elsewhere',
] as const;

export interface RunPageStrings {
  title: (runId: string) => string;
  intro: (vertUrl: string, started: string, ended: string) => string;
  dryRun: string;
  /** An outcome's name in the counts (a number of courses)... */
  outcomes: Record<string, string>;
  /** ...and on a course's row. */
  outcome: Record<string, string>;
  all: string;
  /** With {shown} and {total}: the page's script fills them in as the filter changes. */
  shown: string;
  columns: {
    line: string;
    course: string;
    outcome: string;
    reason: string;
    links: string;
    backup: string;
    lostAccess: string;
    duration: string;
    lastScreen: string;
  };
  vertCourse: string;
  bleuCourse: string;
  bleuSearch: string;
  nobody: string;
  notKnown: string;
  attempts: (n: number) => string;
  /** `sections` as Moodle counts them (section 0, the general section, included): said as a person counts. */
  restoredDetail: (activities: number, sections: number) => string;
  alreadyRestoredOn: (date: string) => string;
  stoppedAt: (step: string) => string;
  evidence: string;
  noScreenshot: string;
  supportMessage: string;
  copy: string;
  copied: string;
  mailTo: (address: string) => string;
  rerunTitle: string;
  rerunIntro: (n: number) => string;
  rerunNone: string;
  rerunEmptied: (n: number) => string;
  rerunCsv: string;
  emptiedWarning: (n: number) => string;
  files: string;
  playwrightReport: string;
}

const EN_OUTCOMES: Record<string, string> = {
  restored: 'Restored',
  refused: 'Refused',
  failed: 'Failed before Perform',
  emptied: 'Emptied, restore not confirmed',
  'already-restored': 'Already restored',
  'claimed-elsewhere': 'Claimed elsewhere',
  'dry-run': 'Dry run',
  'not run': 'Not run',
};

const en: RunPageStrings = {
  title: (runId) => `Restore batch ${runId}`,
  intro: (vertUrl, started, ended) => `Courses of ${vertUrl}, from ${started} to ${ended}.`,
  dryRun: 'Dry run: Perform was never pressed, nothing was changed.',
  // In English a course's outcome and a count's heading read the same.
  outcomes: EN_OUTCOMES,
  outcome: EN_OUTCOMES,
  all: 'All',
  shown: '{shown} of {total} course(s) shown',
  columns: {
    line: 'Line',
    course: 'Course',
    outcome: 'Outcome',
    reason: 'Why',
    links: 'Links',
    backup: 'Backup used',
    lostAccess: 'Lost access',
    duration: 'Duration',
    lastScreen: 'Last screen',
  },
  vertCourse: 'vert course',
  bleuCourse: 'bleu course',
  bleuSearch: 'find on bleu',
  nobody: 'nobody',
  notKnown: 'not known: see the evidence',
  attempts: (n) => `${n} attempts`,
  restoredDetail: (activities, sections) =>
    `Checked: ${activities} activities and ${sectionsCounted(sections)}, as in the backup.`,
  alreadyRestoredOn: (date) => `Restored on ${date} by an earlier run; left as it is.`,
  stoppedAt: (step) => `Stopped at “${step}”:`,
  evidence: 'evidence',
  noScreenshot: 'no screenshot',
  supportMessage: 'Message to support',
  copy: 'Copy',
  copied: 'Copied',
  mailTo: (address) => `Write to ${address}`,
  rerunTitle: 'Run again',
  rerunIntro: (n) =>
    `${n} course(s) refused, failed before Perform or not run, as a course list ready to run again (fix what the reason says first):`,
  rerunNone: 'Nothing to run again.',
  rerunEmptied: (n) =>
    `${n} course(s) emptied without a confirmed restore are not in it: a person must look at each first (--force).`,
  rerunCsv: 'rerun.csv',
  emptiedWarning: (n) =>
    `${n} course(s) EMPTIED WITHOUT A CONFIRMED RESTORE: look at each one now and write to support.`,
  files: 'Files',
  playwrightReport: 'Playwright report (every step, every screenshot)',
};

const fr: RunPageStrings = {
  title: (runId) => `Restauration par lot ${runId}`,
  intro: (vertUrl, started, ended) => `Cours de ${vertUrl}, du ${started} au ${ended}.`,
  dryRun: 'Essai à blanc : « Effectuer la restauration » n’a jamais été pressé, rien n’a changé.',
  outcomes: {
    restored: 'Restaurés',
    refused: 'Refusés',
    failed: 'Échecs avant restauration',
    emptied: 'Vidés, restauration non confirmée',
    'already-restored': 'Déjà restaurés',
    'claimed-elsewhere': 'Pris par un autre poste',
    'dry-run': 'Essais à blanc',
    'not run': 'Non lancés',
  },
  outcome: {
    restored: 'Restauré',
    refused: 'Refusé',
    failed: 'Échec avant restauration',
    emptied: 'Vidé, restauration non confirmée',
    'already-restored': 'Déjà restauré',
    'claimed-elsewhere': 'Pris par un autre poste',
    'dry-run': 'Essai à blanc',
    'not run': 'Non lancé',
  },
  all: 'Tous',
  shown: '{shown} cours affiché(s) sur {total}',
  columns: {
    line: 'Ligne',
    course: 'Cours',
    outcome: 'Résultat',
    reason: 'Pourquoi',
    links: 'Liens',
    backup: 'Sauvegarde utilisée',
    lostAccess: 'Accès perdus',
    duration: 'Durée',
    lastScreen: 'Dernier écran',
  },
  vertCourse: 'cours vert',
  bleuCourse: 'cours bleu',
  bleuSearch: 'chercher sur bleu',
  nobody: 'personne',
  notKnown: 'inconnu : voir les preuves',
  attempts: (n) => `${n} essais`,
  restoredDetail: (activities, sections) =>
    `Vérifié : ${activities} activités et ${sectionsCounted(sections, 'fr')}, comme dans la sauvegarde.`,
  alreadyRestoredOn: (date) => `Restauré le ${date} par un lot précédent ; laissé tel quel.`,
  stoppedAt: (step) => `Arrêté à « ${step} » :`,
  evidence: 'preuves',
  noScreenshot: 'pas de copie d’écran',
  supportMessage: 'Message pour l’assistance',
  copy: 'Copier',
  copied: 'Copié',
  mailTo: (address) => `Écrire à ${address}`,
  rerunTitle: 'Relancer',
  rerunIntro: (n) =>
    `${n} cours refusé(s), en échec avant restauration ou non lancé(s), en liste prête à relancer (corriger d’abord ce que dit la raison) :`,
  rerunNone: 'Rien à relancer.',
  rerunEmptied: (n) =>
    `${n} cours vidé(s) sans restauration confirmée n’y sont pas : quelqu’un doit d’abord regarder chacun (--force).`,
  rerunCsv: 'rerun.csv',
  emptiedWarning: (n) =>
    `${n} cours VIDÉ(S) SANS RESTAURATION CONFIRMÉE : regarder chacun maintenant et écrire à l’assistance.`,
  files: 'Fichiers',
  playwrightReport: 'Rapport Playwright (chaque étape, chaque copie d’écran)',
};

export const RUN_PAGE_STRINGS: Record<ReportLanguage, RunPageStrings> = { en, fr };
