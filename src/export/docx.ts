// Draws rendered template blocks as a Word document (docx package): headings, paragraphs with
// bold runs, bullets, notes, page breaks and the print tables, with a footer naming the source.

import {
  AlignmentType,
  BorderStyle,
  Document,
  Footer,
  HeadingLevel,
  Packer,
  PageBreak,
  PageOrientation,
  Paragraph,
  ShadingType,
  Table,
  TableCell,
  TableRow,
  TextRun,
  WidthType,
} from 'docx';
import { inlineRuns, type Block, type PrintTable, type TableName } from './template.ts';

/** Document metadata. */
export interface DocMeta {
  title: string;
  /** Footer line on every page. */
  footer: string;
  created: Date;
}

const FONT = 'Arial';

function runs(text: string, extra: { italics?: boolean; size?: number } = {}): TextRun[] {
  return inlineRuns(text).map((r) => new TextRun({ text: r.text, bold: r.bold, font: FONT, ...extra }));
}

function table(t: PrintTable): Table | Paragraph {
  if (t.rows.length === 0) return new Paragraph({ children: runs('(none)', { italics: true }) });
  const total = t.widths.reduce((a, b) => a + b, 0);
  const border = { style: BorderStyle.SINGLE, size: 4, color: '999999' };
  const cell = (text: string, i: number, header: boolean): TableCell =>
    new TableCell({
      width: { size: Math.round((t.widths[i]! / total) * 100), type: WidthType.PERCENTAGE },
      borders: { top: border, bottom: border, left: border, right: border },
      ...(header ? { shading: { type: ShadingType.CLEAR, fill: 'E6E6E6', color: 'auto' } } : {}),
      children: [new Paragraph({ children: [new TextRun({ text, bold: header, font: FONT, size: 16 })] })],
    });
  return new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    rows: [
      new TableRow({ tableHeader: true, children: t.headers.map((h, i) => cell(h, i, true)) }),
      ...t.rows.map((r) => new TableRow({ children: r.map((c, i) => cell(c, i, false)) })),
    ],
  });
}

/** Renders blocks to DOCX bytes (landscape A4, so that the IP table fits). */
export async function renderDocx(blocks: Block[], tables: Record<TableName, PrintTable>, meta: DocMeta): Promise<Uint8Array> {
  const children: (Paragraph | Table)[] = [];
  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        children.push(new Paragraph({ heading: HeadingLevel.TITLE, alignment: AlignmentType.CENTER, children: runs(b.text) }));
        break;
      case 'h2':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_1, children: runs(b.text) }));
        break;
      case 'h3':
        children.push(new Paragraph({ heading: HeadingLevel.HEADING_2, children: runs(b.text) }));
        break;
      case 'bullet':
        children.push(new Paragraph({ bullet: { level: 0 }, children: runs(b.text) }));
        break;
      case 'note':
        children.push(new Paragraph({ spacing: { after: 120 }, children: runs(b.text, { italics: true, size: 18 }) }));
        break;
      case 'paragraph':
        children.push(new Paragraph({ spacing: { after: 160 }, children: runs(b.text) }));
        break;
      case 'pagebreak':
        children.push(new Paragraph({ children: [new PageBreak()] }));
        break;
      case 'table':
        children.push(table(tables[b.table]), new Paragraph({ children: [] }));
        break;
    }
  }
  const doc = new Document({
    creator: 'Bantay',
    title: meta.title,
    description: meta.footer,
    styles: { default: { document: { run: { font: FONT, size: 20 } } } },
    sections: [
      {
        properties: { page: { size: { orientation: PageOrientation.LANDSCAPE }, margin: { top: 1000, bottom: 1000, left: 1000, right: 1000 } } },
        footers: {
          default: new Footer({ children: [new Paragraph({ children: [new TextRun({ text: meta.footer, font: FONT, size: 14, color: '666666' })] })] }),
        },
        children,
      },
    ],
  });
  const buf = await Packer.toBuffer(doc);
  return new Uint8Array(buf);
}
