import { describe, expect, it } from "vitest";
import { type Clock, SimulatedClock } from "#engine/clock";

describe("SimulatedClock", () => {
  it("says the time it is set to, and moves only when advanced", () => {
    const clock = new SimulatedClock(new Date("2026-10-09T00:00:00Z"));
    expect(clock.now().toISOString()).toBe("2026-10-09T00:00:00.000Z");
    clock.advance(90 * 60_000);
    expect(clock.now().toISOString()).toBe("2026-10-09T01:30:00.000Z");
    clock.set(new Date("2026-12-31T16:00:00Z"));
    expect(clock.now().toISOString()).toBe("2026-12-31T16:00:00.000Z");
  });

  it("following a base clock, runs at its speed from the start it was given", () => {
    let base = Date.parse("2030-01-01T00:00:00Z");
    const real: Clock = { now: () => new Date(base) };
    const clock = new SimulatedClock(new Date("2026-10-09T00:00:00Z"), real);
    base += 5_000;
    expect(clock.now().toISOString()).toBe("2026-10-09T00:00:05.000Z");
    clock.advance(60_000);
    expect(clock.now().toISOString()).toBe("2026-10-09T00:01:05.000Z");
  });
});
