/** One valid example of a contract version, as shipped in contracts/<id>/<version>/examples/valid/. */
export interface ContractExample {
  /** File name without `.json`. */
  name: string;
  payload: unknown;
}

export interface ContractVersionInfo {
  version: string;
  /** The schema's `title` (Chinese / English). */
  title?: string;
  description?: string;
  /** The schema's `$id`. */
  schemaId: string;
  /** Valid examples, sorted by name. */
  examples: ContractExample[];
}

export interface ContractCatalogueEntry {
  /** Contract id: the folder under contracts/, e.g. `case-submission`; the `ctr` header names it. */
  id: string;
  /** The envelope's `messageType`, e.g. `case.submission`. */
  messageType: string;
  /** Ascending by SemVer precedence; the last is the newest. */
  versions: ContractVersionInfo[];
}
