// Which engine the archive uses, from the configuration: ASR_URL → an OpenAI-compatible server, ASR_MODEL_PATH →
// whisper.cpp in-process, neither → the feature is off (and the UI says how to turn it on).
import type { Config } from '../config.js';
import { HttpAsrEngine } from './http-engine.js';
import type { AsrEngine } from './types.js';
import { WhisperCppEngine } from './whispercpp-engine.js';
import { msg } from '../i18n/messages.js';

export function asrEngineFromConfig(
  config: Pick<
    Config,
    'ASR_URL' | 'ASR_API_KEY' | 'ASR_MODEL' | 'ASR_MODEL_PATH' | 'ASR_CHUNK_SECONDS' | 'ASR_THREADS'
  >,
): AsrEngine | null {
  if (config.ASR_URL) {
    return new HttpAsrEngine({
      url: config.ASR_URL,
      model: config.ASR_MODEL ?? 'whisper-1',
      ...(config.ASR_API_KEY ? { apiKey: config.ASR_API_KEY } : {}),
      ...(config.ASR_CHUNK_SECONDS ? { maxChunkSec: config.ASR_CHUNK_SECONDS } : {}),
    });
  }
  if (config.ASR_MODEL_PATH) {
    return new WhisperCppEngine({
      modelPath: config.ASR_MODEL_PATH,
      ...(config.ASR_THREADS ? { threads: config.ASR_THREADS } : {}),
      ...(config.ASR_CHUNK_SECONDS ? { maxChunkSec: config.ASR_CHUNK_SECONDS } : {}),
    });
  }
  return null;
}

export interface AsrStatus {
  enabled: boolean;
  engine: string | null;
  model: string | null;
  /** Shown by the UI when the feature is off. */
  howToEnable: { de: string; en: string } | null;
}

export function asrStatus(engine: AsrEngine | null): AsrStatus {
  if (engine) return { enabled: true, engine: engine.name, model: engine.model, howToEnable: null };
  return {
    enabled: false,
    engine: null,
    model: null,
    howToEnable: msg('asr.howToEnable'),
  };
}
