// The foot of an admin editor (config sections, form designer): publish the checked edit as the
// next version, or go back to the admin page.
import { Form, Link } from "@remix-run/react";
import { useT } from "#app/i18n";

export function PublishEdit({
  edit,
  version,
  tenantCode,
  ready,
  publishing,
  testId,
}: {
  /** The edit as the form posts it (JSON). */
  edit: string;
  /** The version the edit was made on; publishing makes `version + 1`. */
  version: number;
  tenantCode: string;
  /** The live check passed. */
  ready: boolean;
  publishing: boolean;
  testId: string;
}) {
  const t = useT();
  return (
    <>
      <Form method="post">
        <input type="hidden" name="edit" value={edit} />
        <input type="hidden" name="baseVersion" value={version} />
        <button
          type="submit"
          name="intent"
          value="publish"
          className="primary"
          disabled={!ready || publishing}
          data-testid={testId}
        >
          {publishing ? t("publishing") : t("publishVersion", { n: version + 1 })}
        </button>
      </Form>
      <p className="field-description">
        {t("backTo")} <Link to={`/t/${tenantCode}/admin`}>{t("admin")}</Link>
      </p>
    </>
  );
}
