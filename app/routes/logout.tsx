import { redirect, type ActionFunctionArgs } from "@remix-run/node";
import { endSession } from "#app/server/session.server";

export async function action({ request }: ActionFunctionArgs) {
  // The browser drops what it kept of the session's pages, photos and storage, not just the cookie.
  return redirect("/login", {
    headers: { "Set-Cookie": await endSession(request), "Clear-Site-Data": '"cache", "cookies", "storage"' },
  });
}

export async function loader() {
  return redirect("/");
}
