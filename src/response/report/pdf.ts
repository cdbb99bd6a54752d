import { existsSync } from 'node:fs';
import { VigilError } from '../../core/vigil-error.js';
import type { ReportErrorCode } from './errors.js';

/** Debian's Chromium, which CI installs (`.ci/run`); `$VIGIL_CHROMIUM` names another. */
export const DEFAULT_CHROMIUM = '/usr/bin/chromium';

/**
 * Prints the report's HTML to PDF with headless Chromium (issue 17: the PDF is rendered from the same
 * HTML). JavaScript is off and every request is refused: the page is the report and nothing else,
 * whatever a hostile event's text holds.
 */
export async function renderPdf(html: string, executablePath: string = DEFAULT_CHROMIUM): Promise<Buffer> {
  if (!existsSync(executablePath))
    throw new VigilError<ReportErrorCode>(
      'REPORT_PDF_FAILED',
      `cannot render the PDF: no Chromium at ${executablePath} (install Debian's chromium package, or set VIGIL_CHROMIUM)`,
      { category: 'external', details: { executablePath } },
    );
  // Loaded only when a PDF is asked for: the library is large, and every other report needs none of it.
  const { chromium } = await import('playwright-core');
  let browser;
  try {
    // --no-sandbox only where Chromium refuses to start without it (as root, in containers).
    browser = await chromium.launch({
      executablePath,
      args: process.getuid?.() === 0 ? ['--no-sandbox'] : [],
    });
  } catch (error) {
    throw new VigilError<ReportErrorCode>(
      'REPORT_PDF_FAILED',
      `cannot render the PDF: Chromium at ${executablePath} did not start: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`,
      { category: 'external', details: { executablePath }, cause: error },
    );
  }
  try {
    const context = await browser.newContext({ javaScriptEnabled: false, offline: true });
    const page = await context.newPage();
    await page.route('**/*', (route) => route.abort());
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({
      format: 'A4',
      landscape: true,
      printBackground: true,
      margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' },
    });
  } finally {
    await browser.close();
  }
}
