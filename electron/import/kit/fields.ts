/**
 * The importer kit, record checking: one record's fields (required, types, RFC 3339 with zone). The first problem is
 * kept; the caller skips the record with one warning naming it (the bundle importers).
 */
import { TimeError, type Nanos } from '../../../shared/time';
import { recordTime } from './times';
import { isObj, typeName } from './values';

/** Field checker for one record: collects the first problem; getters return undefined when absent. */
export class Fields {
  problem: string | null = null;
  constructor(
    readonly o: Record<string, unknown>,
    private readonly parent: Fields | null = null,
    private readonly prefix = '',
  ) {}

  private fail(msg: string): undefined {
    if (this.parent) return this.parent.fail(`in "${this.prefix}": ${msg}`);
    if (!this.problem) this.problem = msg;
    return undefined;
  }

  has(key: string): boolean {
    return this.o[key] !== undefined && this.o[key] !== null;
  }

  time(key: string, required: boolean): Nanos | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'string') return this.fail(`field "${key}" must be an RFC 3339 string, got ${typeName(v)}`);
    try {
      return recordTime(v);
    } catch (e) {
      return this.fail(`field "${key}": ${e instanceof TimeError ? e.message : String(e)}`);
    }
  }

  str(key: string, required = false): string | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'string') return this.fail(`field "${key}" must be a string, got ${typeName(v)}`);
    return v;
  }

  int(key: string, required = false, min = -Infinity, max = Infinity): number | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (typeof v !== 'number' || !Number.isInteger(v))
      return this.fail(`field "${key}" must be an integer, got ${typeName(v)}`);
    // Beyond ±2^53 a JSON number has already been rounded (or is 1e300): not a value we can store exactly.
    if (v < min || v > max || !Number.isSafeInteger(v)) return this.fail(`field "${key}" out of range: ${v}`);
    return v;
  }

  strArray(key: string, required = false): string[] | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return required ? this.fail(`missing required field "${key}"`) : undefined;
    if (!Array.isArray(v) || !v.every((x) => typeof x === 'string')) {
      return this.fail(`field "${key}" must be an array of strings`);
    }
    return v as string[];
  }

  obj(key: string): Record<string, unknown> | undefined {
    const v = this.o[key];
    if (v === undefined || v === null) return undefined;
    if (!isObj(v)) return this.fail(`field "${key}" must be an object, got ${typeName(v)}`);
    return v;
  }

  /** A nested object's fields, checked with the same rules; problems are reported on the parent, prefixed. */
  nested(key: string): Fields | undefined {
    const o = this.obj(key);
    return o ? new Fields(o, this, key) : undefined;
  }
}
