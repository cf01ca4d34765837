// A tiny Whisper model in whisper.cpp's ggml file format, generated here for structure tests of the in-process engine:
// the real hyper-parameters of the file format (80 mel bands, 1500 audio positions, the English vocabulary size) with
// 8-wide layers and one block each, deterministic pseudo-random weights. It recognises nothing; it lets whisper.cpp
// load a model and run the whole pipeline (mel, encoder, decoder, timestamps) in well under a second.
import fs from 'node:fs';

interface Tensor {
  name: string;
  shape: number[];
}

/** The byte token `a`: what this model "hears" in any audio. */
export const PREFERRED_TOKEN = 97;

export function writeTinyGgmlModel(file: string, opts: { seed?: number } = {}): void {
  const hp = {
    n_vocab: 51864,
    n_audio_ctx: 1500,
    n_audio_state: 8,
    n_audio_head: 2,
    n_audio_layer: 1,
    n_text_ctx: 64,
    n_text_state: 8,
    n_text_head: 2,
    n_text_layer: 1,
    n_mels: 80,
    ftype: 0,
  };
  const s = hp.n_audio_state;
  const tensors: Tensor[] = [];
  const add = (name: string, ...shape: number[]) => tensors.push({ name, shape });
  // numpy (PyTorch) shapes, as convert-pt-to-ggml writes them; ggml's ne is the reverse
  add('encoder.positional_embedding', hp.n_audio_ctx, s);
  add('encoder.conv1.weight', s, hp.n_mels, 3);
  add('encoder.conv1.bias', s, 1);
  add('encoder.conv2.weight', s, s, 3);
  add('encoder.conv2.bias', s, 1);
  add('encoder.ln_post.weight', s);
  add('encoder.ln_post.bias', s);
  add('decoder.positional_embedding', hp.n_text_ctx, s);
  add('decoder.token_embedding.weight', hp.n_vocab, s);
  add('decoder.ln.weight', s);
  add('decoder.ln.bias', s);
  const block = (prefix: string, cross: boolean) => {
    add(`${prefix}.mlp_ln.weight`, s);
    add(`${prefix}.mlp_ln.bias`, s);
    add(`${prefix}.mlp.0.weight`, 4 * s, s);
    add(`${prefix}.mlp.0.bias`, 4 * s);
    add(`${prefix}.mlp.2.weight`, s, 4 * s);
    add(`${prefix}.mlp.2.bias`, s);
    for (const attn of cross ? ['attn', 'cross_attn'] : ['attn']) {
      add(`${prefix}.${attn}_ln.weight`, s);
      add(`${prefix}.${attn}_ln.bias`, s);
      add(`${prefix}.${attn}.query.weight`, s, s);
      add(`${prefix}.${attn}.query.bias`, s);
      add(`${prefix}.${attn}.key.weight`, s, s);
      add(`${prefix}.${attn}.value.weight`, s, s);
      add(`${prefix}.${attn}.value.bias`, s);
      add(`${prefix}.${attn}.out.weight`, s, s);
      add(`${prefix}.${attn}.out.bias`, s);
    }
  };
  for (let i = 0; i < hp.n_audio_layer; i++) block(`encoder.blocks.${i}`, false);
  for (let i = 0; i < hp.n_text_layer; i++) block(`decoder.blocks.${i}`, true);

  let state = opts.seed ?? 1234567;
  const random = () => {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648 - 0.5;
  };
  const chunks: Buffer[] = [];
  const i32 = (...v: number[]) => {
    const b = Buffer.alloc(4 * v.length);
    v.forEach((x, i) => b.writeInt32LE(x, i * 4));
    chunks.push(b);
  };
  const f32 = (n: number, value: (i: number) => number) => {
    const b = Buffer.alloc(4 * n);
    for (let i = 0; i < n; i++) b.writeFloatLE(value(i), i * 4);
    chunks.push(b);
  };
  i32(0x67676d6c);
  i32(
    hp.n_vocab,
    hp.n_audio_ctx,
    hp.n_audio_state,
    hp.n_audio_head,
    hp.n_audio_layer,
    hp.n_text_ctx,
    hp.n_text_state,
    hp.n_text_head,
    hp.n_text_layer,
    hp.n_mels,
    hp.ftype,
  );
  // mel filter bank: 80 × 201 triangular-ish filters
  const nFft = 201;
  i32(hp.n_mels, nFft);
  f32(hp.n_mels * nFft, (i) => {
    const mel = Math.floor(i / nFft);
    const bin = i % nFft;
    const centre = ((mel + 1) * nFft) / (hp.n_mels + 1);
    return Math.max(0, 1 - Math.abs(bin - centre) / 3) * 0.01;
  });
  // vocabulary: the 256 byte tokens; whisper.cpp fills in the rest (special and timestamp tokens) itself
  i32(256);
  for (let b = 0; b < 256; b++) {
    const word = Buffer.from([b]);
    i32(word.length);
    chunks.push(word);
  }
  for (const t of tensors) {
    const name = Buffer.from(t.name);
    i32(t.shape.length, name.length, 0);
    i32(...[...t.shape].reverse());
    chunks.push(name);
    const n = t.shape.reduce((a, b) => a * b, 1);
    const isNorm = /_ln\.weight$|\.ln\.weight$|ln_post\.weight$/.test(t.name);
    f32(n, (i) => {
      if (isNorm) return 1;
      if (!t.name.startsWith('decoder.')) return random() * 0.2;
      // a decoder that always prefers one token: everything zero but the final norm's bias and that token's
      // embedding, which point the same way, so its logit stands far above every other token's
      if (t.name === 'decoder.ln.bias') return i === 0 ? 1 : 0;
      if (t.name === 'decoder.token_embedding.weight') return i === PREFERRED_TOKEN * s ? 10 : 0;
      return 0;
    });
  }
  fs.writeFileSync(file, Buffer.concat(chunks));
}
