// A validated config turned into lookups and compiled validators, built once per config version.
import { createAjv, type ValidateFunction } from "../ajv";
import { OrgTree } from "../org";
import type { TownshipConfig } from "../../schemas/township-config";

type Item<T> = T extends readonly (infer U)[] ? U : never;
export type Category = Item<NonNullable<TownshipConfig["categories"]>>;
export type Grade = Item<NonNullable<TownshipConfig["grades"]>>;
export type Post = Item<NonNullable<TownshipConfig["posts"]>>;
export type FormDefinition = NonNullable<TownshipConfig["forms"]>[string];
export type Workflow = NonNullable<TownshipConfig["workflows"]>[string];

export type CompiledConfig = {
  config: TownshipConfig;
  org: OrgTree;
  categories: ReadonlyMap<string, Category>;
  grades: ReadonlyMap<string, Grade>;
  posts: ReadonlyMap<string, Post>;
  forms: ReadonlyMap<string, FormDefinition>;
  workflows: ReadonlyMap<string, Workflow>;
  formValidator(formId: string): ValidateFunction;
};

export function compileConfig(config: TownshipConfig): CompiledConfig {
  const ajv = createAjv();
  const validators = new Map<string, ValidateFunction>();
  const forms = new Map(Object.entries(config.forms ?? {}));
  return {
    config,
    org: new OrgTree(config.org?.units ?? []),
    categories: new Map((config.categories ?? []).map((c) => [c.id, c])),
    grades: new Map((config.grades ?? []).map((g) => [g.id, g])),
    posts: new Map((config.posts ?? []).map((p) => [p.id, p])),
    forms,
    workflows: new Map(Object.entries(config.workflows ?? {})),
    formValidator(formId) {
      let v = validators.get(formId);
      if (!v) {
        const form = forms.get(formId);
        if (!form) throw new Error(`Unknown form ${formId}`);
        v = ajv.compile(form.schema);
        validators.set(formId, v);
      }
      return v;
    },
  };
}
