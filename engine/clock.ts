// The one way code learns the time (house style §1): entry points (a request's guard, a job) read
// a Clock once and pass `now` down; nothing below them asks the system.

export type Clock = { now(): Date };

/**
 * A clock that says what it is told: set or advanced by hand (tests), or, given a base clock to
 * follow, running at the base's speed from a chosen start (rehearsing a config on a chosen date).
 */
export class SimulatedClock implements Clock {
  private at: number;
  private readonly base?: Clock;
  private baseAt = 0;

  constructor(start: Date, follow?: Clock) {
    this.at = start.getTime();
    this.base = follow;
    if (follow) this.baseAt = follow.now().getTime();
  }

  now(): Date {
    return new Date(this.at + (this.base ? this.base.now().getTime() - this.baseAt : 0));
  }

  set(at: Date): void {
    this.at = at.getTime();
    if (this.base) this.baseAt = this.base.now().getTime();
  }

  advance(ms: number): void {
    this.at += ms;
  }
}
