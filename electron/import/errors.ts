/** Errors of the import as a whole, in a file with no dependencies (the worker client and the UI import it). */
import { ImportError } from './types';

/** The user cancelled the import: the partial case was removed, nothing was written. */
export class ImportCancelledError extends ImportError {
  constructor(message = 'import cancelled') {
    super(message);
    this.name = 'ImportCancelledError';
  }
}

export { ImportError };
