import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { localeCookie } from "../server/locale.server";

export async function action({ request }: ActionFunctionArgs) {
  const form = await request.formData();
  const to = form.get("to") === "en" ? "en" : "zh-CN";
  const back = String(form.get("back") ?? "/");
  const target = back.startsWith("/") && !back.startsWith("//") ? back : "/";
  return redirect(target, { headers: { "Set-Cookie": await localeCookie.serialize(to) } });
}

export async function loader() {
  return redirect("/");
}
