/** What the operator allows one restore run, from the command line or a batch's plan. */
export interface RestoreFlags {
  /** Every step up to Review, Perform never pressed. */
  dryRun: boolean;
  /** Claim a course the ledger would refuse (recorded). */
  force: boolean;
  /** Go on although the restore would remove other people's enrolments (co-teachers, students). */
  allowEnrolmentLoss: boolean;
  /** Go on although the bleu course changed after its backup (the change will be missing). */
  allowStale: boolean;
}

/** A run that allows nothing beyond the seed's precautions. */
export const NO_RESTORE_FLAGS: Readonly<RestoreFlags> = {
  dryRun: false,
  force: false,
  allowEnrolmentLoss: false,
  allowStale: false,
};
