// Pure builders for ffmpeg/ffprobe argument arrays. Nothing here spawns, so every rule about the
// derivatives (ladder, GOP, segment layout) can be unit-tested on plain arrays.
//
//   args-common.ts  common flags, safePath, redaction filters, the AAC encoder (AAC_ENCODER), HLS muxer flags, ffprobe
//   args-audio.ts   audio HLS, M4A download, waveform PCM, waveform picture encode
//   args-video.ts   video ladder, poster frame, storyboard sprite + WebVTT
//   args-pass.ts    the combined one-decode passes per medium (what the ingest runs)
export { AAC_ENCODER, audioEncoderArgs, probeArgs, safePath, type RedactionOption } from './args-common.js';
export * from './args-audio.js';
export * from './args-video.js';
export * from './args-pass.js';
