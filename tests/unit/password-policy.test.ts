import { describe, expect, it } from "vitest";
import { passwordProblems } from "#app/server/password.server";

describe("choosing a password", () => {
  it("accepts a long password unlike the login and the old one", () => {
    expect(passwordProblems("east.admin", "abcd-efgh-jkmn", "桥头村2026年春", "桥头村2026年春")).toEqual(["tooShort"]);
    expect(passwordProblems("east.admin", "abcd-efgh-jkmn", "桥头村2026年春耕时节", "桥头村2026年春耕时节")).toEqual(
      [],
    );
  });

  it("names every problem at once", () => {
    expect(passwordProblems("east.admin", "x", "1234567890", "1234567899")).toEqual(["tooSimple", "mismatch"]);
    expect(passwordProblems("east.admin", "x", "EAST.ADMIN-2026", "EAST.ADMIN-2026")).toEqual(["sameAsLogin"]);
    expect(passwordProblems("east.admin", "aaaaaaaaaaaa", "aaaaaaaaaaaa", "aaaaaaaaaaaa")).toEqual([
      "tooSimple",
      "unchanged",
    ]);
    expect(passwordProblems("east.admin", "x", "", "")).toEqual(["tooShort"]);
  });
});
