import type { SouvenirsStore } from '../../store/souvenirs-store.interface.js';

/** A member a kick needs in a stored set before it counts. @internal */
export interface PlannedChoice {
  readonly key: string;
  readonly member: string;
  readonly maxChoices: number | undefined;
  /** The axis (for error messages); `null` for the set of years. */
  readonly axis: string | null;
  readonly value: unknown;
}

const NONE_MISSING = Object.freeze([]) as unknown as PlannedChoice[];

/** How many set members this process remembers as stored before it starts over. */
const MAX_REMEMBERED = 50_000;

/**
 * Remembers which set members this process already stored, so a kick with a known
 * stored-choice value, path or year costs no store call; a new one costs one
 * `addChoices`, shared by concurrent kicks bringing the same member.
 *
 * Bounded: past {@link MAX_REMEMBERED} members it forgets everything and learns
 * again (one extra call per member), so an unbounded axis cannot grow memory.
 *
 * @internal
 */
export class KnownChoices {
  private readonly known = new Map<string, Set<string>>();
  private size = 0;
  private readonly inFlight = new Map<string, Map<string, Promise<boolean>>>();

  /** The choices not known to be stored yet. */
  missing(choices: readonly PlannedChoice[]): PlannedChoice[] {
    // The usual case, every choice known, allocates nothing but the empty answer.
    let missing: PlannedChoice[] | undefined;
    for (const choice of choices) {
      if (!this.known.get(choice.key)?.has(choice.member)) (missing ??= []).push(choice);
    }
    return missing ?? NONE_MISSING;
  }

  /**
   * Stores `choices`: the bounded sets first, each of them all or nothing, and
   * only if they all accept, the unbounded ones, so a refused kick adds as little
   * as possible (two bounded axes refusing one after the other is the only case
   * where a refused kick leaves a member behind).
   *
   * @returns the first refused choice, or `null` when all are stored.
   */
  async store(store: SouvenirsStore, choices: readonly PlannedChoice[]): Promise<PlannedChoice | null> {
    const bounded = choices.filter((choice) => choice.maxChoices !== undefined);
    const unbounded = choices.filter((choice) => choice.maxChoices === undefined);
    for (const group of [bounded, unbounded]) {
      const accepted = await Promise.all(group.map((choice) => this.add(store, choice)));
      const refused = group.find((_, index) => !accepted[index]);
      if (refused) return refused;
    }
    return null;
  }

  private add(store: SouvenirsStore, { key, member, maxChoices }: PlannedChoice): Promise<boolean> {
    let members = this.inFlight.get(key);
    const running = members?.get(member);
    if (running) return running;
    if (!members) {
      members = new Map();
      this.inFlight.set(key, members);
    }
    const call = store.addChoices(key, [member], maxChoices).then((added) => {
      if (added) this.remember(key, member);
      return added;
    });
    members.set(member, call);
    const done = (): void => {
      members.delete(member);
      if (members.size === 0 && this.inFlight.get(key) === members) this.inFlight.delete(key);
    };
    call.then(done, done);
    return call;
  }

  private remember(key: string, member: string): void {
    if (this.size >= MAX_REMEMBERED) {
      this.known.clear();
      this.size = 0;
    }
    let members = this.known.get(key);
    if (!members) {
      members = new Set();
      this.known.set(key, members);
    }
    if (!members.has(member)) {
      members.add(member);
      this.size++;
    }
  }
}
