import type { PageFormat } from './page-format.js';
import { OKTA_PAGE_FORMAT } from './okta/okta-page-format.js';
import { VigilError } from '../core/vigil-error.js';

/** Every provider's page format, by the name a source's `type` gives. */
const FORMATS: ReadonlyMap<string, PageFormat> = new Map([[OKTA_PAGE_FORMAT.name, OKTA_PAGE_FORMAT]]);

export function pageFormat(name: string): PageFormat {
  const format = FORMATS.get(name);
  if (!format)
    throw new VigilError('SOURCE_UNKNOWN_TYPE', `no page format named '${name}'`, { category: 'input' });
  return format;
}
