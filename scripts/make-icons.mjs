#!/usr/bin/env node
// Draws Pier's app icons (web/public/icons/*.png, committed) from the logo's SVG with Chromium:
// run again only when the logo changes. `PIER_TEST_CHROMIUM` or /usr/bin/chromium.
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const out = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'web', 'public', 'icons');
const accent = '#2f5bd3';
const logo = (rounded) =>
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 32 32"><rect width="32" height="32" rx="${rounded ? 7 : 0}" fill="${accent}"/>` +
  `<path d="M10 24V8h7a5 5 0 0 1 0 10h-7" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;
// Maskable: the platform cuts its own shape, so the mark sits inside the 80 % safe zone on a full square.
const maskable =
  `<svg xmlns="http://www.w3.org/2000/svg" viewBox="-8 -8 48 48"><rect x="-8" y="-8" width="48" height="48" fill="${accent}"/>` +
  `<path d="M10 24V8h7a5 5 0 0 1 0 10h-7" fill="none" stroke="#fff" stroke-width="3" stroke-linecap="round" stroke-linejoin="round"/></svg>`;

const icons = [
  { name: 'icon-192.png', size: 192, svg: logo(true) },
  { name: 'icon-512.png', size: 512, svg: logo(true) },
  { name: 'maskable-512.png', size: 512, svg: maskable },
  { name: 'apple-touch-icon.png', size: 180, svg: logo(false) },
  { name: 'badge-96.png', size: 96, svg: logo(true) },
];

mkdirSync(out, { recursive: true });
const browser = await chromium.launch({ executablePath: process.env.PIER_TEST_CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
try {
  const page = await browser.newPage();
  for (const icon of icons) {
    await page.setViewportSize({ width: icon.size, height: icon.size });
    await page.setContent(
      `<html><body style="margin:0;background:transparent"><img width="${icon.size}" height="${icon.size}" src="data:image/svg+xml;base64,${Buffer.from(icon.svg).toString('base64')}"></body></html>`,
    );
    await page.screenshot({ path: path.join(out, icon.name), omitBackground: true });
    console.log(`wrote ${icon.name}`);
  }
} finally {
  await browser.close();
}
