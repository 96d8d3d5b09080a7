/** Reporting a file that is not JSON, wherever HedgeLens reads one (chains, snapshots, profiles, rulebooks). */
/**
 * JSON.parse's complaint without the stretch of the file V8 quotes in it (`Unexpected token 'N', ..."z":NaN}" is not
 * valid JSON`): the reason says what is wrong, and a file's own text (a NaN, a megabyte of one line) is not echoed.
 */
export function jsonSyntaxReason(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  return message.replace(/,\s*(?:\.\.\.)?"[\s\S]*"(?:\.\.\.)?\s+is not valid JSON$/, '') || 'not JSON';
}
