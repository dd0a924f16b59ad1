/**
 * THE importer helper kit (docs/architecture.md, "A new input format"): what every importer (bundle/, formats/,
 * gha/) shares — sniffing the head, lenient values, exact times, record checks, JSON-lines reading and the one warning
 * policy. One small file per concern; import from here.
 */
export * from './head';
export * from './values';
export * from './times';
export * from './fields';
export * from './json-lines';
export * from './warn';
