import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import {
  Form,
  isRouteErrorResponse,
  Link,
  Links,
  Meta,
  Outlet,
  Scripts,
  ScrollRestoration,
  useLoaderData,
  useLocation,
  useRouteError,
} from "@remix-run/react";
import { useOptionalTownship } from "./components/township";
import { translate, useLocale, useT } from "./i18n";
import { useNonce } from "./nonce";
import { getPrisma } from "./server/db.server";
import { getLocale } from "./server/locale.server";
import { getUser } from "./server/session.server";
import styles from "./styles/app.css";

export const links: LinksFunction = () => [
  { rel: "stylesheet", href: styles },
  { rel: "icon", href: "/favicon.svg", type: "image/svg+xml" },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const [locale, user] = await Promise.all([getLocale(request), getUser(request)]);
  const unread = user ? await getPrisma().notification.count({ where: { userId: user.id, readAt: null } }) : 0;
  return json({ locale, user: user ? { displayName: user.displayName, login: user.login } : null, unread });
}

function Header() {
  const data = useLoaderData<typeof loader>();
  const t = useT();
  const location = useLocation();
  const township = useOptionalTownship();
  return (
    <header className="top">
      <Link to="/" className="brand">
        {t("appName")}
      </Link>
      <nav className="top-nav">
        {data.user ? (
          <>
            <span className="who" data-testid="current-user">
              {data.user.displayName}
            </span>
            <Link to="/password" data-testid="change-password">
              {t("changePassword")}
            </Link>
            {township?.tenant.mode === "wartime" ? (
              <span className="badge badge-wartime" data-testid="wartime-badge">
                {t("wartimeBadge")}
              </span>
            ) : null}
            <Link
              to="/inbox"
              className="badge"
              title={t("notifications")}
              data-testid="unread-count"
            >{`${t("notifications")} ${data.unread}`}</Link>
            <Form method="post" action="/logout">
              <button type="submit" className="link-button">
                {t("logout")}
              </button>
            </Form>
          </>
        ) : null}
        <Form method="post" action="/lang">
          <input type="hidden" name="to" value={data.locale === "en" ? "zh-CN" : "en"} />
          <input type="hidden" name="back" value={location.pathname + location.search} />
          <button type="submit" className="link-button" data-testid="lang-switch">
            {t("language")}
          </button>
        </Form>
      </nav>
    </header>
  );
}

export function Layout({ children }: { children: React.ReactNode }) {
  const locale = useLocale();
  const nonce = useNonce();
  return (
    <html lang={locale}>
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        <ScrollRestoration nonce={nonce} />
        <Scripts nonce={nonce} />
      </body>
    </html>
  );
}

export default function App() {
  const location = useLocation();
  const t = useT();
  return (
    <>
      <Header />
      <main className="page">
        {new URLSearchParams(location.search).has("passwordChanged") ? (
          <p className="notice" role="status" data-testid="password-changed">
            {t("passwordChanged")}
          </p>
        ) : null}
        <Outlet />
      </main>
    </>
  );
}

export function ErrorBoundary() {
  const error = useRouteError();
  const locale = useLocale();
  const status = isRouteErrorResponse(error) ? error.status : 500;
  // Refusals of bad input (400, 413 …) carry their own bilingual reason.
  const reason = isRouteErrorResponse(error) && status < 500 && typeof error.data === "string" ? error.data : null;
  const message =
    status === 404
      ? translate(locale, "notFound")
      : status === 403
        ? translate(locale, "forbidden")
        : (reason ?? translate(locale, "error"));
  return (
    <main className="page">
      <h1 data-testid="error-status">{status}</h1>
      <p>{message}</p>
      <p>
        <Link to="/">{translate(locale, "appName")}</Link>
      </p>
    </main>
  );
}
