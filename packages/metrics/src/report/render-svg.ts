/**
 * Renders a Vega-Lite spec to an SVG string headlessly (vega's 'none' renderer, no
 * browser, no canvas). vega and vega-lite are ESM-only and large, so they are loaded
 * lazily on the first render: importing @anira/metrics stays cheap.
 */
import { AniraInputError } from '@anira/tasks/errors';
import type { VlSpec } from './specs.js';

let libs: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;

export async function renderSvg(spec: VlSpec): Promise<string> {
  libs ??= Promise.all([import('vega'), import('vega-lite')]).catch((e: unknown) => {
    libs = undefined;
    const missing = (e as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' || (e as NodeJS.ErrnoException).code === 'MODULE_NOT_FOUND';
    throw missing ? new AniraInputError('@anira/metrics/report: needs the optional peer dependencies vega and vega-lite (npm install vega vega-lite)', { code: 'missing-dependency' }) : e;
  });
  const [vega, vegaLite] = await libs;
  const compiled = vegaLite.compile(spec as never).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
