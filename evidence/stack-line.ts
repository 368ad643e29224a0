/** One JSON line in pino's shape, so that run.log stays one format. */
export function stackLine(error: unknown, step: string): string {
  const stack = error instanceof Error ? (error.stack ?? error.message) : String(error);
  return `${JSON.stringify({ level: 50, time: Date.now(), step, msg: 'stack', stack })}\n`;
}
