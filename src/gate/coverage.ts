import { readFileSync } from 'node:fs';

/**
 * Line coverage in percent from the report formats the presets write: Cobertura XML (coverage.py
 * `--cov-report=xml`, istanbul `cobertura`), istanbul `json-summary`, coverage.py `json`.
 */
export function parseCoverage(text: string): number | undefined {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) {
    const data = JSON.parse(trimmed) as { total?: { lines?: { pct?: number } }; totals?: { percent_covered?: number } };
    const pct = data.total?.lines?.pct ?? data.totals?.percent_covered;
    return typeof pct === 'number' ? pct : undefined;
  }
  const rate = /<coverage\b[^>]*\bline-rate="([\d.]+)"/.exec(trimmed);
  return rate ? Number(rate[1]) * 100 : undefined;
}

export function readCoverage(file: string): number | undefined {
  try {
    return parseCoverage(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}
