/**
 * The seed's instruction on errors: "faire une copie d'écran, nous écrire à cemu.assistance@unicaen.fr
 * en précisant le lien du cours". The message is ready to send: course link, step, error, evidence.
 */
export interface SupportMessageInput {
  supportAddress: string;
  courseUrl: string;
  courseLabel: string;
  step: string;
  error: string;
  evidencePath: string;
  screenshot?: string;
  when: Date;
}

export function supportMessage(input: SupportMessageInput): { subject: string; body: string } {
  const screenshot = input.screenshot ?? 'voir le dossier de preuves / see the evidence folder';
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
      `Lien du cours / Course link: ${input.courseUrl}`,
      `Étape / Step: ${input.step}`,
      `Erreur / Error: ${input.error}`,
      `Date: ${input.when.toISOString()}`,
      `Copie d'écran / Screenshot: ${screenshot}`,
      `Dossier de preuves / Evidence: ${input.evidencePath}`,
    ].join('\n'),
  };
}
