/**
 * The handlebars subset metadata-action's tag values use: `{{name}}`, `{{name 'arg'}}` and
 * `{{name 'arg' key='value'}}`. Unknown names render empty, as handlebars does.
 */

export type Helper = (arg: string | undefined, options: Record<string, string>) => string;

export interface Expression {
  name: string;
  /** The first positional argument when quoted; a bare word is a handlebars path, so undefined. */
  arg?: string;
  options: Record<string, string>;
}

const MUSTACHE = /\{\{\s*([^{}]*?)\s*\}\}/g;
const TOKEN = /(\w+)=(?:'([^']*)'|"([^"]*)"|(\S+))|'([^']*)'|"([^"]*)"|(\S+)/g;

export function parseExpression(body: string): Expression {
  const expression: Expression = { name: '', options: {} };
  let positional = 0;
  for (const m of body.matchAll(TOKEN)) {
    if (m[1] !== undefined) expression.options[m[1]] = m[2] ?? m[3] ?? m[4]!;
    else if (expression.name === '') expression.name = m[7] ?? '';
    else if (positional++ === 0) expression.arg = m[5] ?? m[6];
  }
  return expression;
}

export function render(template: string, helpers: Readonly<Record<string, Helper>>): string {
  return template.replace(MUSTACHE, (_, body: string) => {
    const expression = parseExpression(body);
    const helper = Object.hasOwn(helpers, expression.name) ? helpers[expression.name] : undefined;
    return helper ? helper(expression.arg, expression.options) : '';
  });
}

/** True when the pattern is exactly `{{raw}}` (metadata-action's isRawStatement). */
export function isRawStatement(pattern: string): boolean {
  const m = /^\{\{\s*([^{}]*?)\s*\}\}$/.exec(pattern);
  return m !== null && parseExpression(m[1]!).name === 'raw' && m[1]!.trim() === 'raw';
}
