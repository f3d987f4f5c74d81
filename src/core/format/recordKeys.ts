/**
 * The key names of a statistics file, resolved once per file for the byte-level readers
 * (recordScanner.ts, tapeScanner.ts): what a top-level key is (text field, loss, gradient
 * matrix, anything else) and which statistic a matrix field names.
 */
import type { ScannedKey } from './jsonTokens.ts';
import { keyWords } from './jsonTokens.ts';
import type { MatrixKey, RecordSink } from './recordSink.ts';
import { FROM_S_LIST } from './singularValues.ts';

/** At most this many distinct names of each kind are kept (a guard against hostile files); past it, new names take the general path. */
const NAME_LIMIT = 65536;

/** What a top-level key holds. */
export const enum KeyKind {
  Instruction,
  Input,
  Output,
  Loss,
  Matrix,
  Other,
}

/** A top-level key name. `seenAt` catches a key repeated in one line. */
export interface TopKey extends ScannedKey {
  name: string;
  kind: KeyKind;
  matrix: MatrixKey | null;
  seenAt: number;
}

/** A statistic's field name inside a matrix record; `statId` is −1 until a kept line registers it. */
export interface FieldKey extends ScannedKey {
  name: string;
  statId: number;
  /** Bit of S_sum / S_max / S_min / effective_rank (the stats S_list yields), else 0. */
  derived: number;
  seenAt: number;
}

/** The bits of all statistics S_list yields. */
export const ALL_DERIVED = (1 << FROM_S_LIST.length) - 1;

/** The names met in one file. */
export class RecordKeys {
  private readonly topByName = new Map<string, TopKey>();
  private readonly fieldByName = new Map<string, FieldKey>();
  /** The field keys of the statistics S_list yields, in FROM_S_LIST's order. */
  readonly derivedFields: FieldKey[];

  constructor(private readonly sink: RecordSink) {
    this.derivedFields = FROM_S_LIST.map((name) => this.field(name) as FieldKey);
  }

  /** A top-level key by name; null past the name limit. */
  readonly top = (name: string, bytes: Uint8Array): TopKey | null => {
    let key = this.topByName.get(name);
    if (key === undefined) {
      if (this.topByName.size >= NAME_LIMIT) return null;
      const matrix = this.sink.matrixKey(name);
      const kind =
        name === 'instruction'
          ? KeyKind.Instruction
          : name === 'input'
            ? KeyKind.Input
            : name === 'output'
              ? KeyKind.Output
              : name === 'loss'
                ? KeyKind.Loss
                : matrix !== null
                  ? KeyKind.Matrix
                  : KeyKind.Other;
      key = { name, bytes, words: keyWords(bytes), kind, matrix, seenAt: 0 };
      this.topByName.set(name, key);
    }
    return key;
  };

  /** A matrix field's key by name; null past the name limit. */
  readonly field = (name: string, bytes: Uint8Array = new TextEncoder().encode(name)): FieldKey | null => {
    let key = this.fieldByName.get(name);
    if (key === undefined) {
      if (this.fieldByName.size >= NAME_LIMIT) return null;
      const k = (FROM_S_LIST as readonly string[]).indexOf(name);
      key = { name, bytes, words: keyWords(bytes), statId: -1, derived: k < 0 ? 0 : 1 << k, seenAt: 0 };
      this.fieldByName.set(name, key);
    }
    return key;
  };
}
