// video.js ships types for its full build only; `video.js/core` (no HLS engine) is the same API.
// Vite aliases both `video.js` and `video.js/core` to the core ES build (see client/vite.config.ts).
declare module 'video.js/core' {
  // video.js is a CommonJS package: from an ES module its typed default export sits on `.default`
  import * as full from 'video.js';
  export default full.default;
}

// Loaded lazily where the browser has no native HLS; it registers itself with video.js on import.
declare module '@videojs/http-streaming' {
  const vhs: unknown;
  export default vhs;
}
