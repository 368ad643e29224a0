/**
 * The seed's instruction on errors: "faire une copie d'écran, nous écrire à cemu.assistance@unicaen.fr
 * en précisant le lien du cours". The message is ready to send with its screenshot attached: both
 * course links, the step, the error. The evidence folder is on the admin's machine, so it is named as
 * such, never as the only reference.
 */
export interface SupportMessageInput {
  supportAddress: string;
  courseLabel: string;
  /** The course being restored (this year's platform). */
  vertCourseUrl: string;
  /** The course whose backup was restored (last year's platform). */
  bleuCourseUrl: string;
  step: string;
  error: string;
  /** Whether the restore had begun (Perform pressed): the course's content is then gone. */
  courseEmptied: boolean;
  /** The screenshot of the failure, to attach: the seed asks for it. */
  screenshot: { fileName: string };
  /** Where the full evidence is kept on the admin's machine. */
  evidencePath: string;
  when: Date;
}

export function supportMessage(input: SupportMessageInput): {
  subject: string;
  body: string;
  attachments: string[];
} {
  return {
    subject: input.courseEmptied
      ? `Restauration de cours en erreur, cours vidé / Course restore failed, course emptied: ${input.courseLabel}`
      : `Restauration de cours en erreur / Course restore failed: ${input.courseLabel}`,
    body: [
      `À / To: ${input.supportAddress}`,
      '',
      'Bonjour,',
      '',
      ...(input.courseEmptied
        ? [
            `La restauration du cours ${input.courseLabel} a échoué après son lancement : le cours a été vidé et sa restauration n'est pas confirmée.`,
            `The restore of course ${input.courseLabel} failed after it began: the course was emptied and its restore is not confirmed.`,
          ]
        : [
            `La restauration du cours ${input.courseLabel} a échoué avant son lancement : rien n'a été modifié dans le cours.`,
            `The restore of course ${input.courseLabel} failed before it began: nothing was changed in the course.`,
          ]),
      '',
      `Cours à restaurer (ecampus vert) / Course to restore: ${input.vertCourseUrl}`,
      `Cours d'origine (ecampus bleu) / Backup taken from: ${input.bleuCourseUrl}`,
      `Étape / Step: ${input.step}`,
      `Erreur / Error: ${input.error}`,
      `Date: ${input.when.toISOString()}`,
      `Copie d'écran jointe / Screenshot attached: ${input.screenshot.fileName}`,
      `Preuves complètes sur le poste de l'administrateur, sur demande / Full evidence on the admin's machine, on request: ${input.evidencePath}`,
    ].join('\n'),
    attachments: [input.screenshot.fileName],
  };
}
