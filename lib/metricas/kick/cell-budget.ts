/**
 * The one bound on kicks waiting for a write, shared by every buffer of a
 * registry: at most `maxCells` distinct cells gather in all of them together
 * (`kickBuffer.maxCells`), however many buffers and flush intervals there are.
 *
 * @internal
 */
export class CellBudget {
  /** Distinct cells gathering now, over every buffer. */
  used = 0;

  constructor(readonly maxCells: number) {}
}
