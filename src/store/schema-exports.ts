import type { ColumnType } from 'kysely';

/** An initial-report template an agency stored, shared between its users (Handlebars text). */
export interface ExportTemplatesTable {
  name: string;
  description: string;
  body: string;
  /** Bumped on every change, so a paper can say which wording produced it. */
  version: ColumnType<number, number | undefined, number>;
  updated_by: string | null;
  created_at: ColumnType<Date, Date | string | undefined, never>;
  updated_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** The exports stage's tables. */
export interface ExportsTables {
  export_templates: ExportTemplatesTable;
}
