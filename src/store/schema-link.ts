/** Tables of the identifier and linking stage (filled in by migration 0003-link). */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export interface LinkTables {}
