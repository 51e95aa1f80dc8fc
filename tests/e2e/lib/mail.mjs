/*
 * mail.mjs: the messages to people (templates/mail/): how they write a time
 * (in Japan's time zone, Asia/Tokyo, UTC+9, no daylight saving, readably, in
 * the reader's language: the contract of kk_time_text() in
 * include/keikai/clock.h), and how to read one as it would go out (`keikai
 * outbox preview`; issue 11).
 */

import { keikai } from './server.mjs';

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

/* `keikai outbox preview --db DB --json ID`, parsed: {from, rcpt, message_id,
 * encrypted, data (the raw message, CRLF)}. */
export async function previewMail(db, id) {
  const { stdout } = await keikai(['outbox', 'preview', '--db', db, '--json', String(id)]);
  return JSON.parse(stdout);
}

/* The header name of the raw message (unfolded), or undefined. */
export function header(raw, name) {
  const head = raw.split('\r\n\r\n')[0].replace(/\r\n[ \t]+/g, ' ');
  const line = head.split('\r\n').find((l) => l.toLowerCase().startsWith(name.toLowerCase() + ':'));
  return line === undefined ? undefined : line.slice(name.length + 1).trim();
}

/* RFC 2047 B-words decoded. */
export function decodeWords(v) {
  return v.replace(/=\?UTF-8\?B\?([^?]*)\?=\s*/gi, (_, b) => Buffer.from(b, 'base64').toString('utf8')).trim();
}

/* The base64 body after the first blank line, decoded. */
export function body(raw) {
  return Buffer.from(raw.split('\r\n\r\n').slice(1).join('\r\n\r\n').replace(/\s+/g, ''), 'base64').toString('utf8');
}
