// Keyboard shortcuts of the interview player, as a pure mapping from a key event to an action.

export type ShortcutAction = 'toggle-play' | 'back' | 'forward' | 'toggle-captions' | 'fullscreen' | 'help';

export interface KeyInfo {
  key: string;
  ctrlKey?: boolean;
  metaKey?: boolean;
  altKey?: boolean;
  /** The focused element, if any; typing in fields and operating controls must not trigger shortcuts. */
  target?: { tagName?: string; isContentEditable?: boolean; getAttribute?: (name: string) => string | null } | null;
}

/** Seconds that j/l and the arrow keys jump. */
export const skipSeconds = 10;

const typingTags = new Set(['INPUT', 'TEXTAREA', 'SELECT']);
/** Where space and Enter already mean "press this" (buttons, links, summaries …). */
const pressableTags = new Set(['BUTTON', 'A', 'SUMMARY']);
const pressableRoles = new Set([
  'button',
  'link',
  'menuitem',
  'menuitemradio',
  'menuitemcheckbox',
  'option',
  'tab',
  'checkbox',
  'switch',
]);
/** Widgets that use the arrow keys themselves. */
const arrowRoles = new Set(['slider', 'listbox', 'menu', 'menubar', 'tablist', 'radiogroup', 'combobox']);

export function shortcutFor(e: KeyInfo, opts: { video: boolean }): ShortcutAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  const t = e.target;
  const tag = t?.tagName?.toUpperCase() ?? '';
  if (typingTags.has(tag) || t?.isContentEditable) return null;
  const role = t?.getAttribute?.('role') ?? '';
  const key = e.key.length === 1 ? e.key.toLowerCase() : e.key;
  switch (key) {
    case ' ':
      return pressableTags.has(tag) || pressableRoles.has(role) ? null : 'toggle-play';
    case 'k':
      return 'toggle-play';
    case 'j':
      return 'back';
    case 'l':
      return 'forward';
    case 'ArrowLeft':
      return arrowRoles.has(role) ? null : 'back';
    case 'ArrowRight':
      return arrowRoles.has(role) ? null : 'forward';
    case 'c':
      return 'toggle-captions';
    case 'f':
      return opts.video ? 'fullscreen' : null;
    case '?':
      return 'help';
    default:
      return null;
  }
}
