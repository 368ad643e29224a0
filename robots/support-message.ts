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
    subject: `Restauration de cours en erreur / Course restore failed: ${input.courseLabel}`,
    body: [
      `À / To: ${input.supportAddress}`,
      '',
      'Bonjour,',
      '',
      `La restauration du cours ${input.courseLabel} a échoué.`,
      `The restore of course ${input.courseLabel} failed.`,
      '',
      `Cours restauré (ecampus vert) / Course restored into: ${input.vertCourseUrl}`,
      `Cours d'origine (ecampus bleu) / Course restored from: ${input.bleuCourseUrl}`,
      `Étape / Step: ${input.step}`,
      `Erreur / Error: ${input.error}`,
      `Date: ${input.when.toISOString()}`,
      `Copie d'écran jointe / Screenshot attached: ${input.screenshot.fileName}`,
      `Preuves complètes sur le poste de l'administrateur, sur demande / Full evidence on the admin's machine, on request: ${input.evidencePath}`,
    ].join('\n'),
    attachments: [input.screenshot.fileName],
  };
}
