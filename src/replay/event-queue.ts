/**
 * Business events of a replay, taken in time order. Events at the same
 * instant keep the order they were added in, so a replay is deterministic.
 */
export class EventQueue<T> {
  private readonly events: { at: number; sequence: number; event: T }[] = [];
  private sequence = 0;

  add(at: Date, event: T): void {
    const entry = { at: at.getTime(), sequence: this.sequence++, event };
    // Binary search for the first later entry keeps the array sorted.
    let low = 0;
    let high = this.events.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      const other = this.events[middle]!;
      if (other.at < entry.at || (other.at === entry.at && other.sequence < entry.sequence)) low = middle + 1;
      else high = middle;
    }
    this.events.splice(low, 0, entry);
  }

  next(): { at: Date; event: T } | undefined {
    const entry = this.events.shift();
    return entry ? { at: new Date(entry.at), event: entry.event } : undefined;
  }

  get size(): number {
    return this.events.length;
  }
}

/** Returns the UTC instant of a business date at a time of day. */
export function atTime(date: string, time: string): Date {
  return new Date(`${date}T${time}Z`);
}
