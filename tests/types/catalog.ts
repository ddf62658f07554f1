// Type-level checks of the message catalogs (ADR 032): `tsc --noEmit` fails if any of these lines
// stops being an error, i.e. if a catalog may lack a key or t() may be called with wrong values.
import type { Catalog } from "#app/locales/index";
import { translate } from "#app/locales/index";
import { en } from "#app/locales/en";

const { appName: _dropped, ...withoutAppName } = en;
// @ts-expect-error a language missing one key is not a catalog
export const missingKey: Catalog = withoutAppName;

// @ts-expect-error a key no catalog has
translate("en", "noSuchKey");
// @ts-expect-error a message with a count needs it
translate("en", "workingDaysLeft");
// @ts-expect-error the count is called n
translate("en", "workingDaysLeft", { days: 1 });
// @ts-expect-error a plain string takes no values
translate("en", "appName", { n: 1 });

export const fine: string = translate("en", "workingDaysLeft", { n: 1 }) + translate("zh-CN", "appName");
