// localPath decides a redirect target by parsing it as a browser would: it stays on this host.
import { describe, expect, it } from "vitest";
import { localPath } from "#app/server/http-guards.server";

describe("localPath", () => {
  it.each([
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r/evil.example",
    "/%09/evil.example",
    "/%0d%0a/evil.example",
    "/%5cevil.example",
    "/%2f%2fevil.example",
    "/%2F%2Fevil.example",
    "/.//evil.example",
    "/..//evil.example",
    "/./%2fevil.example",
    " /t",
    "https://evil.example/",
    "http:evil.example",
    "javascript:alert(1)",
    "",
    "/\u0000",
  ])("refuses %j", (target) => {
    expect(localPath(target, "/fallback")).toBe("/fallback");
  });

  it.each([
    ["/t/east-lake/report", "/t/east-lake/report"],
    ["/t/east-lake?tab=due#top", "/t/east-lake?tab=due#top"],
    ["/t/东湖", "/t/%E4%B8%9C%E6%B9%96"],
    // Unicode slashes are not slashes to a URL parser: they stay in the path, percent-encoded.
    ["/\uFF0F/evil.example", "/%EF%BC%8F/evil.example"],
    ["/\u2215\u2215evil.example", "/%E2%88%95%E2%88%95evil.example"],
    ["/javascript:alert(1)", "/javascript:alert(1)"],
    ["/t/../login", "/login"],
  ])("keeps %j on this site as %j", (target, path) => {
    expect(localPath(target)).toBe(path);
  });

  it.each([[undefined], [null], [42], [["/t"]]])("gives the fallback for %j", (value) => {
    expect(localPath(value)).toBe("/t");
  });
});
