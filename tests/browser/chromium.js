// Debian's Chromium, headless, as every browser test launches it (docs/toolchain.md, "Headless Chromium"):
// the flags keep it from reaching for the network this machine does not have.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A persistent context in a fresh profile folder; `options` go to launchPersistentContext. */
export async function launchContext(options = {}) {
  const profile = mkdtempSync(join(tmpdir(), 'dlplay-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    ...options,
  });
  return { context, profile };
}

/** A plain browser, for fresh contexts (offline, a phone). */
export function launchBrowser() {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}
