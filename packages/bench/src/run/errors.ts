/** A server that answered wrongly: it is not timed again in that scenario. */
export class WrongAnswer extends Error {
  override readonly name = 'WrongAnswer';
  constructor(readonly problems: string[]) {
    super(problems.join('; '));
  }
}
