/** The message of anything thrown, for logs, records and the step's failure. */
export function describeError(error: unknown): string {
  if (error instanceof Error) return error.message || error.name
  return String(error)
}
