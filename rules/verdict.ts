/**
 * What a rule says about going on: pass (with what it found), warn, or refuse with the reason an admin
 * reads. Every rule that can stop the robot answers in this one shape; `override` names the restore
 * flag that turns a refusal into a warning, when there is one.
 */
export type Verdict<Found extends object = object> =
  | ({ verdict: 'pass' } & Found)
  | { verdict: 'warn'; detail: string }
  | { verdict: 'refuse'; detail: string; override?: 'allowStale' };
