// What the interview page may ask of the (lazily loaded) player, without importing video.js.

export interface PlayerController {
  seek(seconds: number): void;
  play(): void;
  togglePlay(): void;
  skip(seconds: number): void;
  currentTime(): number;
  duration(): number;
  toggleCaptions(): boolean | null;
  toggleFullscreen(): void;
  setRate(rate: number): void;
  focus(): void;
}
