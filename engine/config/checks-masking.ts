// A form field that holds a person's phone or ID number must be masked (`maskedFields`), so it
// reaches only those allowed `read-masked`. The check finds such fields by what they accept or
// are called, so a new template or a designed form cannot ship one in the clear.
import { type Issue, issue, pointer } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";

type Property = { type?: unknown; pattern?: unknown; format?: unknown; title?: unknown };
export type PersonalKind = "phone" | "id-number";

const KINDS: Record<PersonalKind, { samples: string[]; names: RegExp }> = {
  phone: {
    samples: ["13800138000"],
    names: /phone|mobile|^tel$|telephone|电话|手机/i,
  },
  "id-number": {
    samples: ["11010519491231002X", "110105194912310021"],
    names: /id_?number|id_?card|身份证/i,
  },
};

function accepts(pattern: unknown, value: string): boolean {
  if (typeof pattern !== "string") return false;
  try {
    return new RegExp(pattern, "u").test(value);
  } catch {
    return false;
  }
}

/** Whether a form property holds a phone or ID number: a pattern made for one, a phone format, or its name. */
export function personalKind(key: string, property: unknown): PersonalKind | null {
  if (!property || typeof property !== "object") return null;
  const p = property as Property;
  if (p.type !== "string") return null;
  // A pattern that takes any text (`.*`) says nothing; one that takes only such numbers does.
  const specific = typeof p.pattern === "string" && !accepts(p.pattern, "不详 n/a");
  const title = typeof p.title === "string" ? p.title : "";
  for (const kind of Object.keys(KINDS) as PersonalKind[]) {
    const k = KINDS[kind];
    if (specific && k.samples.some((s) => accepts(p.pattern, s))) return kind;
    if (kind === "phone" && (p.format === "phone" || p.format === "tel")) return kind;
    if (k.names.test(key) || k.names.test(title)) return kind;
  }
  return null;
}

export function maskingIssues(config: TownshipConfig): Issue[] {
  const out: Issue[] = [];
  for (const [formId, form] of Object.entries(config.forms ?? {})) {
    const masked = new Set(form.maskedFields ?? []);
    const properties = (form.schema as { properties?: Record<string, unknown> }).properties ?? {};
    for (const [key, property] of Object.entries(properties)) {
      const kind = personalKind(key, property);
      if (!kind || masked.has(key)) continue;
      out.push(
        issue(pointer("forms", formId, "maskedFields"), "form.personal-field-unmasked", {
          formId,
          key,
          kind: kind === "phone" ? "phone" : "idNumber",
        }),
      );
    }
  }
  return out;
}
