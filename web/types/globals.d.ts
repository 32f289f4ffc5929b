// What the web code adds to the browser's globals: test hooks on window, the service worker's
// build-time constants (filled in by web/offline/sw-plugin.mjs).
interface Window {
  /** Frames drawn and their times, read by the browser tests. */
  dlplayStats?: { frames: number; drawMs: number[] };
  /** The CNN page's test hooks. */
  dlplayCnn?: any;
  /** The embed frame's state, for the browser tests. */
  dlplayEmbed?: any;
  /** The engine worker test page's result. */
  __result?: any;
  __DLPLAY_VERSION__?: string;
  __DLPLAY_FILES__?: string[];
}
