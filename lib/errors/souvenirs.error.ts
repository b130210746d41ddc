/**
 * What marks an error of this package, whichever copy made it: the names of its class and
 * of each class above it, up to `SouvenirsError`. A registered symbol, so both builds of
 * the package (CommonJS and ES) read the same mark.
 */
const ERROR_CLASSES = Symbol.for('nestjs-souvenirs:error-classes');

/**
 * Base class of every error nestjs-souvenirs throws on purpose, so callers can
 * tell our validation failures from anything else with one `instanceof`. An error
 * caused by another (a store's driver error, say) carries it as `cause`.
 *
 * `instanceof` holds across the package's two builds: an app that loads both (its own
 * code through `import`, a CommonJS dependency through `require`) gets each class twice,
 * and an error thrown by one copy is still an instance of the same class of the other.
 *
 * @publicApi
 */
export class SouvenirsError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    const classes: string[] = [];
    for (let kind: unknown = new.target; typeof kind === 'function' && kind !== Error; kind = Object.getPrototypeOf(kind)) {
      classes.push(kind.name);
    }
    Object.defineProperty(this, ERROR_CLASSES, { value: classes });
  }

  static override [Symbol.hasInstance](value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const classes = typeof value === 'object' && value !== null ? (value as { [ERROR_CLASSES]?: unknown })[ERROR_CLASSES] : undefined;
    return Array.isArray(classes) && classes.includes(this.name);
  }
}
