// The app's clock: the system's, or with GRIDWORK_CLOCK_START a simulated one that starts there and
// runs at real speed, to rehearse a config on a chosen date (docs/decisions/036-one-injected-clock.md).
import { type Clock, SimulatedClock } from "#engine/clock";

const systemClock: Clock = { now: () => new Date() };

function fromEnv(): Clock {
  const start = process.env.GRIDWORK_CLOCK_START;
  if (!start) return systemClock;
  const at = new Date(start);
  if (!Number.isFinite(at.getTime()) || !/^\d{4}-\d{2}-\d{2}T/.test(start))
    throw new Error(`GRIDWORK_CLOCK_START is not an ISO date-time: ${start}`);
  return new SimulatedClock(at, systemClock);
}

/** What request guards and job runners read, once each, unless a test hands them another clock. */
export const appClock: Clock = fromEnv();
