/**
 * The values of the line a byte-level reader is reading, held until the whole line is
 * read: a line is stored entirely or not at all, and its modules and statistics are
 * registered in order of appearance, as the general path does.
 */
import type { FieldKey } from './recordKeys.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';

/** A line's matrices and (matrix, field, value) cells. */
export class LineCells {
  readonly matrices: MatrixKey[] = [];
  readonly cellMatrix: MatrixKey[] = [];
  readonly cellField: FieldKey[] = [];
  cellValue = new Float64Array(1024);
  /** The tape entry each value came from (−1 from the JavaScript scanner). */
  cellEntry = new Int32Array(1024);
  count = 0;

  constructor(private readonly sink: RecordSink) {}

  /** Forgets the line read so far. */
  reset(): void {
    this.matrices.length = 0;
    this.count = 0;
  }

  /** Holds one value of the line. */
  add(matrix: MatrixKey, field: FieldKey, value: number, entry: number): void {
    const c = this.count++;
    if (c === this.cellValue.length) {
      const values = new Float64Array(c * 2);
      values.set(this.cellValue);
      this.cellValue = values;
      const entries = new Int32Array(c * 2);
      entries.set(this.cellEntry);
      this.cellEntry = entries;
    }
    this.cellMatrix[c] = matrix;
    this.cellField[c] = field;
    this.cellValue[c] = value;
    this.cellEntry[c] = entry;
  }

  /** Commits the line: registers its modules and statistics in order of appearance, writes its row and its sample. */
  store(maxLayer: number, loss: number, instruction: string, input: string, output: string, extra: Record<string, unknown> | undefined): void {
    const sink = this.sink;
    const columns = sink.columns;
    for (const matrix of this.matrices) sink.register(matrix);
    columns.beginSample(maxLayer);
    columns.setLoss(loss);
    const cellMatrix = this.cellMatrix;
    const cellField = this.cellField;
    const cellValue = this.cellValue;
    for (let c = 0; c < this.count; c++) {
      const field = cellField[c];
      if (field.statId < 0) field.statId = columns.statId(field.name);
      const matrix = cellMatrix[c];
      columns.set(matrix.moduleId, field.statId, matrix.layer, cellValue[c]);
    }
    sink.addTexts(instruction, input, output, extra);
  }
}
