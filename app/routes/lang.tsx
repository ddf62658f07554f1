import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireForm } from "#app/server/form-input.server";
import { LOCALES } from "#app/locales/index";
import { localeCookie } from "#app/server/locale.server";
import { localPath } from "#app/server/http-guards.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireForm(request);
  const to = LOCALES.find((l) => l === form.get("to")) ?? LOCALES[0];
  const back = String(form.get("back") ?? "/");
  return redirect(localPath(back, "/"), { headers: { "Set-Cookie": await localeCookie.serialize(to) } });
}

export async function loader() {
  return redirect("/");
}
