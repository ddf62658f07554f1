// What the config-check worker thread runs: pure engine work on documents passed by value.
import { parentPort } from "node:worker_threads";
import { checkConfigEdit, type ConfigEdit, type EditBase } from "#engine/config/edits";
import { prepareConfig } from "#engine/config/index";

/** The templates of a document's chain, as [ref, document] pairs. */
type Templates = Array<[string, unknown]>;
const lookupOf = (templates: Templates) => {
  const byRef = new Map(templates);
  return (ref: string) => byRef.get(ref);
};

export const TASKS = {
  checkEdit: (input: { base: EditBase; templates: Templates; edit: ConfigEdit }) =>
    checkConfigEdit(input.base, lookupOf(input.templates), input.edit),
  prepare: (input: { raw: unknown; templates: Templates }) => prepareConfig(input.raw, lookupOf(input.templates)),
};
export type ConfigTasks = typeof TASKS;

parentPort?.on("message", (message: { id: number; task: keyof ConfigTasks; input: never }) => {
  try {
    parentPort!.postMessage({ id: message.id, ok: true, value: TASKS[message.task](message.input) });
  } catch (error) {
    parentPort!.postMessage({ id: message.id, ok: false, error: (error as Error).message });
  }
});
