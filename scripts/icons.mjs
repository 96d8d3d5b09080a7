#!/usr/bin/env node
/**
 * Renders public/icon.svg (drawn for HedgeLens) to the PNGs the manifests use: public/icon/16.png, 32, 48 and 128.
 * The PNGs are committed; run this after editing the SVG (`npm run icons`). resvg renders the same bytes for the
 * same SVG, so running it again on an unchanged SVG leaves git clean.
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Resvg } from '@resvg/resvg-js';

const PUBLIC = join(resolve(dirname(fileURLToPath(import.meta.url)), '..'), 'public');
export const ICON_SIZES = [16, 32, 48, 128];

const svg = readFileSync(join(PUBLIC, 'icon.svg'), 'utf8');
mkdirSync(join(PUBLIC, 'icon'), { recursive: true });
for (const size of ICON_SIZES) {
  const png = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } })
    .render()
    .asPng();
  writeFileSync(join(PUBLIC, 'icon', `${size}.png`), png);
  console.log(`public/icon/${size}.png: ${png.length} bytes`);
}
