/** A job summary in Markdown, built by domain code and written by the runtime. */
export class Summary {
  private readonly parts: string[] = [];

  heading(text: string, level = 2): this {
    this.parts.push(`${'#'.repeat(level)} ${text}`);
    return this;
  }

  line(text: string): this {
    this.parts.push(text);
    return this;
  }

  table(header: readonly string[], rows: readonly (readonly string[])[]): this {
    if (rows.length === 0) return this;
    const cell = (value: string) => value.replace(/\|/g, '\\|').replace(/\n/g, '<br>');
    const lines = [
      `| ${header.map(cell).join(' | ')} |`,
      `| ${header.map(() => '---').join(' | ')} |`,
      ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
    ];
    this.parts.push(lines.join('\n'));
    return this;
  }

  get empty(): boolean {
    return this.parts.length === 0;
  }

  toMarkdown(): string {
    return this.parts.length === 0 ? '' : `${this.parts.join('\n\n')}\n`;
  }
}
