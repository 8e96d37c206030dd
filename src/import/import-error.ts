/** A file or folder that cannot be imported at all, e.g. a file the mapping does not name. */
export class ImportError extends Error {
  override name = 'ImportError';
}
