import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { requireForm } from "../server/form-input.server";
import { localeCookie } from "../server/locale.server";
import { localPath } from "../server/http-guards.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await requireForm(request);
  const to = form.get("to") === "en" ? "en" : "zh-CN";
  const back = String(form.get("back") ?? "/");
  return redirect(localPath(back, "/"), { headers: { "Set-Cookie": await localeCookie.serialize(to) } });
}

export async function loader() {
  return redirect("/");
}
