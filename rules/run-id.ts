import { randomBytes } from 'node:crypto';

/**
 * A run's id, also its evidence folder's name and its batch marker's file name: the start time (to the
 * millisecond, as a folder name may hold it), this process's id and a random suffix, so that two runs
 * started in the same millisecond (two batches over one list, on one machine or two) never share a
 * folder, a marker or a claim. Letters, digits and dashes only.
 */
export function newRunId(
  kind: 'batch' | 'run',
  now: Date = new Date(),
  pid: number = process.pid,
  random: string = randomBytes(4).toString('hex'),
): string {
  return `${kind}-${now.toISOString().replace(/[:.]/g, '-')}-p${pid}-${random}`;
}
