/** One statement of a migration section and the line of the file where it starts. */
export interface Statement {
  sql: string;
  line: number;
}

export type SplitDialect = 'postgres' | 'mysql';

/**
 * Splits SQL on top-level semicolons, skipping those inside quotes ('...', "...", `...` on MySQL),
 * comments (--, /* *\/, # on MySQL) and PostgreSQL dollar quotes ($$...$$, $tag$...$tag$).
 * Statements that hold only comments and whitespace are dropped. `firstLine` is the file line of sql[0].
 */
export function splitStatements(sql: string, firstLine: number, dialect: SplitDialect): Statement[] {
  const out: Statement[] = [];
  let line = firstLine;
  let start = 0;
  let startLine = firstLine;
  let hasCode = false;
  let i = 0;
  const push = (end: number) => {
    const text = sql.slice(start, end).trim();
    if (hasCode && text !== '') out.push({ sql: text, line: startLine });
    hasCode = false;
  };
  /** Advances to index `to`, counting newlines. */
  const skipTo = (to: number) => {
    for (let k = i; k < to && k < sql.length; k += 1) if (sql[k] === '\n') line += 1;
    i = Math.min(to, sql.length);
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (c === '\n') {
      line += 1;
      i += 1;
      continue;
    }
    if (/\s/.test(c)) {
      i += 1;
      continue;
    }
    if ((c === '-' && next === '-') || (c === '#' && dialect === 'mysql')) {
      const end = sql.indexOf('\n', i);
      skipTo(end === -1 ? sql.length : end);
      continue;
    }
    if (c === '/' && next === '*') {
      const end = sql.indexOf('*/', i + 2);
      skipTo(end === -1 ? sql.length : end + 2);
      continue;
    }
    if (!hasCode) {
      hasCode = true;
      start = i;
      startLine = line;
    }
    if (c === ';') {
      push(i);
      i += 1;
      start = i;
      continue;
    }
    if (c === "'" || c === '"' || (c === '`' && dialect === 'mysql')) {
      skipTo(quoteEnd(sql, i, c, dialect === 'mysql' && c !== '`'));
      continue;
    }
    if (c === '$' && dialect === 'postgres') {
      const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(i));
      if (tag) {
        const end = sql.indexOf(tag[0], i + tag[0].length);
        skipTo(end === -1 ? sql.length : end + tag[0].length);
        continue;
      }
    }
    i += 1;
  }
  push(sql.length);
  return out;
}

/** The index just past the closing quote; a doubled quote is an escaped one, and so is \x where backslashes escape. */
function quoteEnd(sql: string, open: number, quote: string, backslash: boolean): number {
  for (let k = open + 1; k < sql.length; k += 1) {
    const c = sql[k];
    if (backslash && c === '\\') {
      k += 1;
    } else if (c === quote) {
      if (sql[k + 1] === quote) k += 1;
      else return k + 1;
    }
  }
  return sql.length;
}

/** The file line of a 1-based character position inside a statement (PostgreSQL reports one). */
export function lineOfPosition(statement: Statement, position: number): number {
  const before = statement.sql.slice(0, Math.max(0, position - 1));
  return statement.line + (before.match(/\n/g)?.length ?? 0);
}
