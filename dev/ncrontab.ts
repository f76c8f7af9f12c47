// The six-field NCRONTAB expressions of Azure Functions timer triggers ("{second} {minute} {hour} {day} {month}
// {day-of-week}", e.g. "0 */5 * * * *"), for the local host's timers. Fields take `*`, numbers, ranges `a-b`,
// steps `*/n` and `a-b/n`, and comma lists; times are UTC (Azure's default without WEBSITE_TIME_ZONE). Month and
// day names are not supported (the app does not use them).
// Source: https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions

export interface Schedule {
  readonly expression: string;
  /** The first matching time strictly after `after` (whole seconds, UTC). */
  next(after: Date): Date;
}

const FIELDS = [
  { name: 'second', min: 0, max: 59 },
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day-of-week', min: 0, max: 6 },
] as const;

/** A schedule can match nothing (e.g. "0 0 0 31 2 *"): give up after this many years of searching. */
const SEARCH_YEARS = 5;

export function parseSchedule(expression: string): Schedule {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== FIELDS.length) {
    throw new Error(`"${expression}": an NCRONTAB expression has 6 fields (second minute hour day month day-of-week)`);
  }
  const [seconds, minutes, hours, days, months, weekdays] = FIELDS.map((field, i) =>
    parseField(parts[i]!, field, expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  // As in cron: when both day fields are restricted, either may match.
  const dayRestricted = parts[3] !== '*';
  const weekdayRestricted = parts[5] !== '*';
  const dayMatches = (date: Date) => {
    const byDay = days.has(date.getUTCDate());
    const byWeekday = weekdays.has(date.getUTCDay());
    if (dayRestricted && weekdayRestricted) return byDay || byWeekday;
    return byDay && byWeekday;
  };
  return {
    expression,
    next(after) {
      const t = new Date(Math.floor(after.getTime() / 1000) * 1000 + 1000);
      const limit = after.getTime() + SEARCH_YEARS * 366 * 86_400_000;
      while (t.getTime() <= limit) {
        if (!months.has(t.getUTCMonth() + 1)) {
          t.setUTCMonth(t.getUTCMonth() + 1, 1);
          t.setUTCHours(0, 0, 0);
        } else if (!dayMatches(t)) {
          t.setUTCDate(t.getUTCDate() + 1);
          t.setUTCHours(0, 0, 0);
        } else if (!hours.has(t.getUTCHours())) {
          t.setUTCHours(t.getUTCHours() + 1, 0, 0);
        } else if (!minutes.has(t.getUTCMinutes())) {
          t.setUTCMinutes(t.getUTCMinutes() + 1, 0);
        } else if (!seconds.has(t.getUTCSeconds())) {
          t.setUTCSeconds(t.getUTCSeconds() + 1);
        } else {
          return t;
        }
      }
      throw new Error(`"${expression}" matches no time in the next ${SEARCH_YEARS} years`);
    },
  };
}

function parseField(text: string, field: (typeof FIELDS)[number], expression: string): Set<number> {
  const values = new Set<number>();
  const fail = (why: string) => new Error(`"${expression}": ${field.name} field "${text}": ${why}`);
  for (const item of text.split(',')) {
    const match = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(item);
    if (!match) throw fail('expected *, a number, a range a-b, a step /n, or a list of these');
    const [, whole, fromText, toText, stepText] = match;
    const from = whole === '*' ? field.min : Number(fromText);
    const to = whole === '*' ? field.max : toText !== undefined ? Number(toText) : stepText ? field.max : from;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (from < field.min || to > field.max || from > to) throw fail(`values run from ${field.min} to ${field.max}`);
    if (step < 1) throw fail('a step must be at least 1');
    for (let value = from; value <= to; value += step) values.add(value);
  }
  return values;
}
