import { redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { getUser } from "#app/server/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  return redirect((await getUser(request)) ? "/t" : "/login");
}
