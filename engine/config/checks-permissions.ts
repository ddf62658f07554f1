// A config that validates but leaves the township unable to work: nobody may report a case, nobody
// may change the config back, or nobody may read a category's cases. Rules are read as CASL reads
// them (later rules win; `manage` is every action), per post, so a deny after an allow counts.
import { pointer, type Issue, issue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";

type Rule = NonNullable<TownshipConfig["permissions"]>[number];
type Scope = NonNullable<Rule["scope"]>;

const matches = (rule: Rule, post: string, action: Rule["action"], subject: Rule["subject"], category?: string) =>
  rule.subject === subject &&
  (rule.action === action || rule.action === "manage") &&
  (rule.posts.includes("*") || rule.posts.includes(post)) &&
  // A rule naming categories holds for cases of those categories only.
  (!rule.categories || (category !== undefined && rule.categories.includes(category)));

/**
 * The scopes in which `post` may do `action` on `subject` (of `category`, for cases): allows minus
 * the township-wide denies after them.
 */
function scopesFor(
  rules: readonly Rule[],
  post: string,
  action: Rule["action"],
  subject: Rule["subject"],
  category?: string,
): Set<Scope> {
  const scopes = new Set<Scope>();
  for (const rule of rules) {
    if (!matches(rule, post, action, subject, category) || rule.fields?.length) continue;
    const scope = rule.scope ?? "township";
    if (!rule.inverted) scopes.add(scope);
    // A deny without a narrower scope takes away everything allowed before it.
    else if (scope === "township") scopes.clear();
    else scopes.delete(scope);
  }
  return scopes;
}

export function permissionIssues(config: TownshipConfig): Issue[] {
  const rules = config.permissions ?? [];
  const posts = (config.posts ?? []).map((p) => p.id);
  const categoryIds = (config.categories ?? []).map((c) => c.id);
  const anyone = (
    action: Rule["action"],
    subject: Rule["subject"],
    ok: (s: Set<Scope>) => boolean = (s) => s.size > 0,
    category?: string,
  ) => posts.some((post) => ok(scopesFor(rules, post, action, subject, category)));
  const out: Issue[] = [];
  // Someone may report a case of some category (rules may allow only some categories).
  const creates = categoryIds.length
    ? categoryIds.some((c) => anyone("create", "Case", undefined, c))
    : anyone("create", "Case");
  if (!creates) {
    out.push(issue("/permissions", "permissions.nobody-creates"));
  }
  if (!anyone("manage", "Config")) {
    out.push(issue("/permissions", "permissions.nobody-manages-config"));
  }
  // Reading only one's own reports does not make a category's cases someone's work.
  for (const [i, category] of (config.categories ?? []).entries()) {
    const readable = anyone(
      "read",
      "Case",
      (scopes) =>
        [...scopes].some((scope) => scope !== "own" && (scope !== "platform" || category.platform !== undefined)),
      category.id,
    );
    if (!readable) {
      out.push(issue(pointer("categories", i), "permissions.nobody-reads-category", { name: category.name }));
    }
  }
  return out;
}
