// UI strings of one feature, merged into app/i18n.ts: { key: { zh, en } }, Chinese first.
export const accountMessages = {
  changePassword: { zh: "修改密码", en: "Change password" },
  mustChangePassword: { zh: "您正在使用一次性密码，请先设置自己的密码再继续", en: "You are using a one-time password: choose your own before you go on" },
  currentPassword: { zh: "当前密码", en: "Current password" },
  newPassword: { zh: "新密码", en: "New password" },
  confirmPassword: { zh: "再次输入新密码", en: "New password again" },
  passwordRules: { zh: "至少 10 个字符，不含账号，不能全为数字或同一字符", en: "At least 10 characters, not containing your login, not only digits or one repeated character" },
  savePassword: { zh: "保存新密码", en: "Save the new password" },
  passwordChanged: { zh: "密码已修改；您在其他设备上的登录已退出", en: "Password changed; you were logged out on other devices" },
  wrongCurrentPassword: { zh: "当前密码不正确", en: "The current password is wrong" },
  "password.tooShort": { zh: "新密码至少需要 10 个字符", en: "The new password needs at least 10 characters" },
  "password.sameAsLogin": { zh: "新密码不能包含账号", en: "The new password must not contain your login" },
  "password.tooSimple": { zh: "新密码不能全为数字或同一个字符", en: "The new password must not be only digits or one repeated character" },
  "password.unchanged": { zh: "新密码不能与当前密码相同", en: "The new password must differ from the current one" },
  "password.mismatch": { zh: "两次输入的新密码不一致", en: "The two new passwords differ" },
} as const satisfies Record<string, { zh: string; en: string }>;
