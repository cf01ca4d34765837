// The package (w3c/webvtt.js) ships no types; only the parts this layer uses are declared.
declare module 'webvtt-parser' {
  export interface VttError {
    message: string;
    line: number;
    col?: number;
  }
  export type VttNode =
    | { type: 'text'; value: string }
    | { type: 'timestamp'; value: number }
    | { type: 'object'; name: string; classes: string[]; value?: string; children: VttNode[] };
  export interface VttCue {
    id: string;
    startTime: number;
    endTime: number;
    text: string;
    tree: { children: VttNode[] };
  }
  export interface VttTimingTarget {
    startTime?: number;
    endTime?: number;
    [setting: string]: unknown;
  }
  type ErrorHandler = (message: string, col?: number) => void;
  const mod: {
    WebVTTParser: new (entities?: Record<string, string>) => {
      parse(input: string, mode?: 'metadata' | 'chapters'): { cues: VttCue[]; errors: VttError[] };
    };
    WebVTTCueTimingsAndSettingsParser: new (
      line: string,
      onError: ErrorHandler,
    ) => {
      parse(cue: VttTimingTarget, previousCueStart: number): true | undefined;
      parseTimestamp(): number | undefined;
    };
    WebVTTCueTextParser: new (
      text: string,
      onError: ErrorHandler,
      mode: 'metadata' | 'chapters' | undefined,
      entities: Record<string, string>,
    ) => { parse(cueStart: number, cueEnd: number): { children: VttNode[] } };
  };
  export default mod;
}
