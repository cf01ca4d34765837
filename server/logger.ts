// pino, one root logger; modules take a child tagged with their name (and record ids where they have one).
import { pino, type Logger } from 'pino';

export type { Logger };

let root: Logger = pino({
  level: process.env.LOG_LEVEL ?? (process.env.NODE_ENV === 'test' ? 'silent' : 'info'),
  base: { app: 'schichtbuch' },
  redact: {
    paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'password', '*.password'],
    censor: '[redacted]',
  },
});

export function configureLogger(level: string): Logger {
  root.level = level;
  return root;
}

/** A logger for one module, e.g. `moduleLogger('auth')`; add record ids with `.child({ interviewId })`. */
export function moduleLogger(module: string): Logger {
  return root.child({ module });
}

export function rootLogger(): Logger {
  return root;
}

/** Tests can route logs elsewhere. */
export function setRootLogger(logger: Logger): void {
  root = logger;
}
