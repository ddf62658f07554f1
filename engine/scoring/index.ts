// Evaluation (考评): the township's scoring rules over the audit trail of its cases and tasks.
//
//   audit trail ──factsFromTrail──▶ facts ──evaluateScores──▶ score lines (the ledger) ──rollup──▶ totals
//                                                                                     └─rank / rateGrids / periodReport
//
// Pure: no clock, no database. Same trail, same config versions, same options → the same lines,
// in the same order, with the same dedupe keys; so recomputing a period from the trail reproduces
// the ledger, and the ledger stays append-only (a recompute appends corrections: ledgerCorrections).
//
// Facts are a fixed registry (FACTS, facts.ts), each derived from audit events the engine writes
// (`case.reported`, `case.transition`, `case.deadline-step`); config says what they are worth, to
// whom, and under which conditions. Which deadline kind "closes" a case, which form field holds
// the satisfaction result, and which workflow handles appeals are config (scoring.closingDeadline,
// scoring.revisit, scoring.appeal, resolved with their defaults by engine/config/defaults.ts); a
// rule may also fire on any transition by id ({transition}). Rules are the only way to score:
// every line is one rule applied to one fact (docs/decisions/013-scoring-from-the-audit-trail.md,
// 026-one-scoring-path.md).
//
// One concern a file: facts.ts (the registry), trail.ts (trail → facts), conditions.ts, periods.ts,
// lines.ts (rules → score lines, the ledger), totals.ts (totals, ranks, ratings), review.ts (复盘).
export type { ScoringConfig, ScoringRule } from "./shared";
export * from "./facts";
export * from "./trail";
export * from "./conditions";
export * from "./periods";
export * from "./lines";
export * from "./totals";
export * from "./review";
