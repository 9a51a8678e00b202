/**
 * Source of business time. Commands read the time from a clock instead of
 * `new Date()`, so a replay runs at the dataset's own dates and tests can
 * move time forward (aging, due dates, discounts).
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = {
  now: () => new Date(),
};

/** A clock that stays where it is set; replays and tests move it explicitly. */
export class ManualClock implements Clock {
  private current: Date;

  constructor(start: Date) {
    this.current = new Date(start.getTime());
  }

  now(): Date {
    return new Date(this.current.getTime());
  }

  set(to: Date): void {
    this.current = new Date(to.getTime());
  }
}
