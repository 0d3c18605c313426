import { annotate, type AnnotationKind, type Logger } from '../core/logger.js';

/** GitHub shows at most 10 error and 10 warning annotations per step; the rest are only logged. */
const ANNOTATIONS_PER_KIND = 10;

export interface AnnotationInput {
  kind: AnnotationKind;
  message: string;
  file?: string;
  line?: number;
  col?: number;
  title?: string;
}

/** Sends annotations up to the platform's limit per kind and counts the ones it had to drop. */
export class Annotator {
  private readonly sent = new Map<AnnotationKind, number>();
  private readonly droppedByKind = new Map<AnnotationKind, number>();

  constructor(
    private readonly logger: Logger,
    private readonly limit = ANNOTATIONS_PER_KIND,
  ) {}

  add(a: AnnotationInput): void {
    const count = this.sent.get(a.kind) ?? 0;
    if (count >= this.limit) {
      this.droppedByKind.set(a.kind, (this.droppedByKind.get(a.kind) ?? 0) + 1);
      const where = a.file ? `${a.file}${a.line ? `:${a.line}` : ''}${a.line && a.col ? `:${a.col}` : ''}: ` : '';
      this.logger.info(`${a.kind} (not annotated): ${where}${a.title ? `${a.title}: ` : ''}${a.message}`);
      return;
    }
    this.sent.set(a.kind, count + 1);
    annotate(this.logger, a.kind, a.message, { file: a.file, line: a.line, col: a.col, title: a.title });
  }

  get annotated(): number {
    return [...this.sent.values()].reduce((a, b) => a + b, 0);
  }

  get dropped(): number {
    return [...this.droppedByKind.values()].reduce((a, b) => a + b, 0);
  }

  /** "12 errors and 3 warnings were not annotated (GitHub shows 10 per kind per step)", or undefined. */
  droppedNote(): string | undefined {
    if (this.dropped === 0) return undefined;
    const parts = [...this.droppedByKind].map(([kind, n]) => `${n} ${kind}${n === 1 ? '' : 's'}`);
    return `${parts.join(' and ')} not annotated (GitHub shows ${this.limit} per kind per step); they are in the log`;
  }
}
