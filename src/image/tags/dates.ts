import { ConfigurationError } from '../../core/errors.js';

/**
 * moment.js format tokens rendered with Intl in an IANA time zone, for `{{date 'fmt' tz='Zone'}}`.
 * Text in `[brackets]` is literal, as in moment.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const TOKENS = /\[([^\]]*)\]|YYYY|YY|Q|MMMM|MMM|MM|M|DDDD|DDD|Do|DD|D|dddd|ddd|dd|d|HH|H|hh|h|kk|k|mm|m|ss|s|SSS|SS|S|A|a|ZZ|Z|X|x/g;

interface ZonedParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  weekday: number;
  /** Minutes east of UTC. */
  offset: number;
}

function zonedParts(date: Date, timeZone: string): ZonedParts {
  let format: Intl.DateTimeFormat;
  try {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  } catch {
    throw new ConfigurationError(`input "tags": unknown time zone tz='${timeZone}' (use an IANA name such as Europe/Paris)`);
  }
  const parts = Object.fromEntries(format.formatToParts(date).map((p) => [p.type, Number(p.value)]));
  const [year, month, day, hour, minute, second] = [parts.year!, parts.month!, parts.day!, parts.hour!, parts.minute!, parts.second!];
  const local = Date.UTC(year, month - 1, day, hour, minute, second);
  const offset = Math.round((local - Math.floor(date.getTime() / 1000) * 1000) / 60000);
  return { year, month, day, hour, minute, second, weekday: new Date(local).getUTCDay(), offset };
}

function ordinal(n: number): string {
  const tens = n % 100;
  const suffix = tens >= 11 && tens <= 13 ? 'th' : (['th', 'st', 'nd', 'rd'][n % 10] ?? 'th');
  return `${n}${suffix}`;
}

/** Formats like moment-timezone's `moment(date).tz(tz).format(format)`; no format gives ISO 8601. */
export function formatDate(format: string | undefined, date: Date, timeZone = 'UTC'): string {
  const p = zonedParts(date, timeZone);
  const pattern = format ?? (p.offset === 0 && timeZone === 'UTC' ? 'YYYY-MM-DDTHH:mm:ss[Z]' : 'YYYY-MM-DDTHH:mm:ssZ');
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const zone = (sep: string) =>
    `${p.offset < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(p.offset) / 60))}${sep}${pad(Math.abs(p.offset) % 60)}`;
  const dayOfYear = Math.round((Date.UTC(p.year, p.month - 1, p.day) - Date.UTC(p.year, 0, 1)) / 86400000) + 1;
  const h12 = p.hour % 12 === 0 ? 12 : p.hour % 12;
  const ms = date.getUTCMilliseconds();
  const values: Record<string, () => string> = {
    YYYY: () => pad(p.year, 4),
    YY: () => pad(p.year % 100),
    Q: () => String(Math.ceil(p.month / 3)),
    MMMM: () => MONTHS[p.month - 1]!,
    MMM: () => MONTHS[p.month - 1]!.slice(0, 3),
    MM: () => pad(p.month),
    M: () => String(p.month),
    DDDD: () => pad(dayOfYear, 3),
    DDD: () => String(dayOfYear),
    Do: () => ordinal(p.day),
    DD: () => pad(p.day),
    D: () => String(p.day),
    dddd: () => DAYS[p.weekday]!,
    ddd: () => DAYS[p.weekday]!.slice(0, 3),
    dd: () => DAYS[p.weekday]!.slice(0, 2),
    d: () => String(p.weekday),
    HH: () => pad(p.hour),
    H: () => String(p.hour),
    hh: () => pad(h12),
    h: () => String(h12),
    kk: () => pad(p.hour === 0 ? 24 : p.hour),
    k: () => String(p.hour === 0 ? 24 : p.hour),
    mm: () => pad(p.minute),
    m: () => String(p.minute),
    ss: () => pad(p.second),
    s: () => String(p.second),
    SSS: () => pad(ms, 3),
    SS: () => pad(Math.floor(ms / 10)),
    S: () => String(Math.floor(ms / 100)),
    A: () => (p.hour < 12 ? 'AM' : 'PM'),
    a: () => (p.hour < 12 ? 'am' : 'pm'),
    ZZ: () => zone(''),
    Z: () => zone(':'),
    X: () => String(Math.floor(date.getTime() / 1000)),
    x: () => String(date.getTime()),
  };
  return pattern.replace(TOKENS, (token, literal: string | undefined) => literal ?? values[token]!());
}
