import { createRequire } from 'node:module';
import path from 'node:path';

type PdfMake = typeof import('pdfmake');
/** What pdfmake draws: content, styles, page size. */
export type PdfDocument = Parameters<PdfMake['createPdf']>[0];

const require = createRequire(import.meta.url);
const fontDir = path.join(path.dirname(require.resolve('pdfmake/package.json')), 'fonts/Roboto');
let configured: PdfMake | undefined;

/**
 * pdfmake is loaded on first use (it is heavy; most processes never render a PDF). Fonts come from
 * the pdfmake package; nothing else (no URL, no other file) may be read while rendering, so a
 * document built from user text cannot make the server fetch or read anything.
 */
async function pdfmake(): Promise<PdfMake> {
  if (configured) return configured;
  const loaded = ((await import('pdfmake')) as { default?: PdfMake }).default ?? (await import('pdfmake'));
  loaded.setFonts({
    Roboto: {
      normal: path.join(fontDir, 'Roboto-Regular.ttf'), bold: path.join(fontDir, 'Roboto-Medium.ttf'),
      italics: path.join(fontDir, 'Roboto-Italic.ttf'), bolditalics: path.join(fontDir, 'Roboto-MediumItalic.ttf'),
    },
  });
  loaded.setUrlAccessPolicy(() => false);
  loaded.setLocalAccessPolicy((file: string) => path.resolve(file).startsWith(fontDir));
  configured = loaded;
  return loaded;
}

/** Renders a document to PDF bytes on the server: no browser involved. */
export async function renderPdf(doc: PdfDocument): Promise<Buffer> {
  return Buffer.from(await (await pdfmake()).createPdf(doc).getBuffer());
}
