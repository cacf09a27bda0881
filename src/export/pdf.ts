// Draws rendered template blocks as a PDF (pdfkit): the same blocks as the DOCX, with tables
// drawn as ruled grids that repeat their header on each page, and a footer on every page.

import { existsSync } from 'node:fs';
import PDFDocument from 'pdfkit';
import { inlineRuns, type Block, type PrintTable, type TableName } from './template.ts';
import type { DocMeta } from './docx.ts';

/** TrueType fonts to embed; without them the PDF uses Helvetica, which covers Western European text only. */
export interface PdfFonts {
  regular: string;
  bold: string;
  italic: string;
}

const DEJAVU = '/usr/share/fonts/truetype/dejavu';

/** DejaVu Sans when the system has it (Debian's fonts-dejavu-core), else undefined. */
export function systemFonts(): PdfFonts | undefined {
  const f = { regular: `${DEJAVU}/DejaVuSans.ttf`, bold: `${DEJAVU}/DejaVuSans-Bold.ttf`, italic: `${DEJAVU}/DejaVuSans-Oblique.ttf` };
  return Object.values(f).every((p) => existsSync(p)) ? f : undefined;
}

// The standard fonts encode WinAnsi only: anything else would print as garbage, so it becomes '?'.
function winAnsi(text: string): string {
  return text
    .replace(/[‘’]/g, "'")
    .replace(/[“”]/g, '"')
    .replace(/[–—]/g, '-')
    .replace(/…/g, '...')
    .replace(/[^\x20-\x7e\xa0-\xff•]/g, '?');
}

/** Renders blocks to PDF bytes (landscape A4). */
export function renderPdf(
  blocks: Block[],
  tables: Record<TableName, PrintTable>,
  meta: DocMeta,
  fonts: PdfFonts | undefined = systemFonts(),
): Promise<Uint8Array> {
  const doc = new PDFDocument({
    size: 'A4',
    layout: 'landscape',
    margins: { top: 50, bottom: 50, left: 50, right: 50 },
    bufferPages: true,
    info: { Title: meta.title, Creator: 'Bantay', Producer: 'Bantay', CreationDate: meta.created },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<Uint8Array>((resolveDoc, reject) => {
    doc.on('end', () => resolveDoc(new Uint8Array(Buffer.concat(chunks))));
    doc.on('error', reject);
  });
  if (fonts) {
    doc.registerFont('regular', fonts.regular);
    doc.registerFont('bold', fonts.bold);
    doc.registerFont('italic', fonts.italic);
  } else {
    doc.registerFont('regular', 'Helvetica');
    doc.registerFont('bold', 'Helvetica-Bold');
    doc.registerFont('italic', 'Helvetica-Oblique');
  }
  const t = (s: string): string => (fonts ? s : winAnsi(s));
  const left = doc.page.margins.left;
  const width = doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = (): number => doc.page.height - doc.page.margins.bottom;

  const rich = (text: string, size: number, opts: { italic?: boolean; indent?: number; align?: 'center' | 'left' } = {}): void => {
    const rs = inlineRuns(text);
    doc.fontSize(size);
    rs.forEach((r, i) => {
      doc.font(opts.italic ? 'italic' : r.bold ? 'bold' : 'regular');
      const continued = i < rs.length - 1;
      // Later runs take only `continued`: giving them a width again restarts the line.
      if (i === 0) doc.text(t(r.text), left + (opts.indent ?? 0), undefined, { width: width - (opts.indent ?? 0), continued, align: opts.align ?? 'left' });
      else doc.text(t(r.text), { continued });
    });
  };

  const grid = (tb: PrintTable): void => {
    if (tb.rows.length === 0) {
      rich('(none)', 9, { italic: true });
      return;
    }
    const total = tb.widths.reduce((a, b) => a + b, 0);
    const ws = tb.widths.map((w) => (w / total) * width);
    const size = 7.5;
    const pad = 2;
    const drawRow = (cells: string[], header: boolean): void => {
      doc.font(header ? 'bold' : 'regular').fontSize(size);
      const h = Math.max(...cells.map((c, i) => doc.heightOfString(t(c), { width: ws[i]! - 2 * pad }))) + 2 * pad;
      if (doc.y + h > bottom()) {
        doc.addPage();
        if (!header) drawRow(tb.headers, true);
        doc.font(header ? 'bold' : 'regular').fontSize(size);
      }
      const y = doc.y;
      let x = left;
      cells.forEach((c, i) => {
        if (header) doc.rect(x, y, ws[i]!, h).fillAndStroke('#e6e6e6', '#999999').fillColor('black');
        else doc.rect(x, y, ws[i]!, h).strokeColor('#999999').stroke();
        doc.text(t(c), x + pad, y + pad, { width: ws[i]! - 2 * pad });
        x += ws[i]!;
      });
      doc.x = left;
      doc.y = y + h;
    };
    // A header never sits alone at the foot of a page: it moves on with the first row.
    doc.font('bold').fontSize(size);
    const headH = Math.max(...tb.headers.map((c, i) => doc.heightOfString(t(c), { width: ws[i]! - 2 * pad }))) + 2 * pad;
    doc.font('regular');
    const firstH = Math.max(...tb.rows[0]!.map((c, i) => doc.heightOfString(t(c), { width: ws[i]! - 2 * pad }))) + 2 * pad;
    if (doc.y + headH + firstH > bottom()) doc.addPage();
    drawRow(tb.headers, true);
    for (const r of tb.rows) drawRow(r, false);
    doc.moveDown(0.8);
  };

  for (const b of blocks) {
    switch (b.kind) {
      case 'title':
        rich(b.text, 16, { align: 'center' });
        doc.moveDown(0.6);
        break;
      case 'h2':
        doc.moveDown(0.4);
        rich(b.text, 13);
        doc.moveDown(0.3);
        break;
      case 'h3':
        rich(b.text, 11);
        doc.moveDown(0.2);
        break;
      case 'bullet':
        rich(`•  ${b.text}`, 10, { indent: 12 });
        doc.moveDown(0.2);
        break;
      case 'note':
        rich(b.text, 9, { italic: true });
        doc.moveDown(0.5);
        break;
      case 'paragraph':
        rich(b.text, 10);
        doc.moveDown(0.6);
        break;
      case 'pagebreak':
        doc.addPage();
        break;
      case 'table':
        grid(tables[b.table]);
        break;
    }
  }
  // Footers go on at the end, over every buffered page, inside the bottom margin.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const m = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(7)
      .fillColor('#666666')
      .text(t(`${meta.footer} · page ${i + 1} of ${range.count}`), left, doc.page.height - 35, { width, lineBreak: false });
    doc.page.margins.bottom = m;
  }
  doc.end();
  return done;
}
