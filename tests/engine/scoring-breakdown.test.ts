import { describe, expect, it } from "vitest";
import { barLayout, figuresBy } from "#engine/scoring-breakdown";
import { periodFromKey, type Fact } from "#engine/scoring";

const ZONE = "Asia/Shanghai";

const march = periodFromKey(ZONE, "2026-03")!;
let seq = 0;
const fact = (name: Fact["name"], platformId: string, at = "2026-03-10T02:00:00.000Z"): Fact => ({
  name,
  key: String(++seq),
  tenantId: "t",
  caseId: `c${seq}`,
  eventSeq: seq,
  at,
  workflowId: "case-loop",
  categoryId: "dispute",
  platformId,
  orgUnitId: "grid-1",
  reporterId: "u",
  gradeId: "general",
  assignment: { assistUnitIds: [] },
});

describe("figures per group", () => {
  const facts = [
    fact("case.reported", "platform-safety"),
    fact("case.closed-on-time", "platform-safety"),
    fact("case.closed-late", "platform-safety"),
    fact("case.reported", "platform-service"),
    fact("revisit.recorded", "platform-service"),
    fact("revisit.satisfied", "platform-service"),
    fact("case.reported", "platform-service", "2026-04-01T00:00:00.000Z"), // April in Shanghai
    fact("case.reported", ""),
  ];
  const by = figuresBy(facts, march, (f) => f.platformId || undefined);

  it("groups by key, sorted, leaving out facts without a group and outside the period", () => {
    expect(Object.keys(by)).toEqual(["platform-safety", "platform-service"]);
    expect(by["platform-safety"]).toMatchObject({
      reported: 1,
      closedOnTime: 1,
      closedLate: 1,
      onTimeRate: 0.5,
      satisfactionRate: null,
    });
    expect(by["platform-service"]).toMatchObject({
      reported: 1,
      revisits: 1,
      satisfied: 1,
      satisfactionRate: 1,
      onTimeRate: null,
    });
  });
});

describe("bar layout", () => {
  it("scales widths to the largest absolute value and stacks rows", () => {
    const l = barLayout(
      [
        { label: "a", value: 50 },
        { label: "b", value: 100 },
        { label: "c", value: -25 },
      ],
      { width: 300, labelWidth: 100, row: 10, gap: 5 },
    );
    expect(l.bars.map((b) => [b.label, b.y, b.width])).toEqual([
      ["a", 0, 70],
      ["b", 15, 140],
      ["c", 30, 35],
    ]);
    expect(l.height).toBe(40);
    expect(l.max).toBe(100);
  });
  it("draws nothing wide when every value is 0, and has a height without rows", () => {
    expect(barLayout([{ label: "a", value: 0 }]).bars[0]!.width).toBe(0);
    expect(barLayout([]).height).toBeGreaterThan(0);
  });
});
