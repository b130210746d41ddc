/** Placeholder until the metricas land: the axis base class. @publicApi */
export class Axis {
  constructor(readonly options: { choices?: readonly (string | number | boolean | null)[] } = {}) {}
}
