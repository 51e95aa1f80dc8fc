/*
 * mail.mjs: how the messages to people (templates/mail/) write a time: in
 * Japan's time zone (Asia/Tokyo, UTC+9, no daylight saving), readably, in the
 * reader's language — the contract of kk_time_text() in include/keikai/clock.h.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September',
  'October', 'November', 'December'];

/* iso (2026-12-01T22:04:05Z) as a finder reads it: "2026年12月2日 07:04" (ja) or
 * "2 December 2026 07:04 (JST)" (en). */
export function mailTime(iso, lang) {
  const t = new Date(Date.parse(iso) + 9 * 3600 * 1000);
  const hm = `${String(t.getUTCHours()).padStart(2, '0')}:${String(t.getUTCMinutes()).padStart(2, '0')}`;
  if (lang === 'ja') return `${t.getUTCFullYear()}年${t.getUTCMonth() + 1}月${t.getUTCDate()}日 ${hm}`;
  return `${t.getUTCDate()} ${MONTHS[t.getUTCMonth()]} ${t.getUTCFullYear()} ${hm} (JST)`;
}
