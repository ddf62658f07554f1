import type { zhCN } from "./zh-CN";

/** Every UI string's key; zh-CN is the source catalog. */
export type MessageKey = keyof typeof zhCN;
/** A language's catalog: exactly the source's keys, so a key missing in any language fails the type check. */
export type Catalog = { readonly [K in MessageKey]: string };

// "{n}" and "{n, plural, …}" both name the argument n; read off the Chinese text, which has no plurals.
type ArgNames<S extends string> = S extends `${string}{${infer Arg}}${infer Rest}`
  ? (Arg extends `${infer Name},${string}` ? Name : Arg) | ArgNames<Rest>
  : never;
type MessageParams<K extends MessageKey> = { [P in ArgNames<(typeof zhCN)[K]>]: string | number };
/** The rest parameters of t(key, …): none for a plain string, the named values otherwise. */
export type ParamsArg<K extends MessageKey> = K extends MessageKey
  ? [ArgNames<(typeof zhCN)[K]>] extends [never]
    ? []
    : [params: MessageParams<K>]
  : never;
