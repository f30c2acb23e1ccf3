import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { SlotAction } from './slots';
import { READING_NS } from './strings';

type ShortcutId = 'next' | 'previous' | 'open' | SlotAction | 'search' | 'back' | 'help';

/** The keys, in the order the help lists them. Slot actions work only once their feature registers a handler. */
export const SHORTCUTS: readonly { id: ShortcutId; keys: string[] }[] = [
  { id: 'next', keys: ['j'] },
  { id: 'previous', keys: ['k'] },
  { id: 'open', keys: ['Enter'] },
  { id: 'reply', keys: ['r'] },
  { id: 'assign', keys: ['a'] },
  { id: 'close', keys: ['e'] },
  { id: 'snooze', keys: ['s'] },
  { id: 'tags', keys: ['#'] },
  { id: 'search', keys: ['/'] },
  { id: 'back', keys: ['Esc'] },
  { id: 'help', keys: ['?'] },
];

// A Map, not an object literal: a key named like an Object.prototype member ("toString") maps to nothing.
const KEY_ACTIONS = new Map<string, SlotAction>([
  ['r', 'reply'],
  ['a', 'assign'],
  ['e', 'close'],
  ['s', 'snooze'],
  ['#', 'tags'],
]);

export function slotActionForKey(key: string): SlotAction | undefined {
  return KEY_ACTIONS.get(key);
}

export function ShortcutHelp({ onClose, available }: { onClose: () => void; available: (action: SlotAction) => boolean }) {
  const { t } = useTranslation(READING_NS);
  const closeRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    const previous = document.activeElement as HTMLElement | null;
    closeRef.current?.focus();
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape' || event.key === '?') {
        event.preventDefault();
        event.stopImmediatePropagation();
        onClose();
      }
    };
    window.addEventListener('keydown', onKey, true);
    return () => {
      window.removeEventListener('keydown', onKey, true);
      previous?.focus?.();
    };
  }, [onClose]);
  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: a click on the backdrop closes; Esc does the same from the keyboard.
    // biome-ignore lint/a11y/useKeyWithClickEvents: Esc is handled on window above.
    <div className="overlay" onClick={(event) => event.target === event.currentTarget && onClose()}>
      <div className="shortcut-dialog" role="dialog" aria-modal="true" aria-labelledby="shortcut-title" data-testid="shortcut-help">
        <header>
          <h2 id="shortcut-title">{t('shortcuts.title')}</h2>
          <button ref={closeRef} type="button" className="btn btn-ghost btn-sm" onClick={onClose}>
            {t('shortcuts.close')}
          </button>
        </header>
        <p className="shortcut-intro">{t('shortcuts.intro')}</p>
        <dl className="shortcut-list">
          {SHORTCUTS.map(({ id, keys }) => {
            const slot = Object.values(KEY_ACTIONS).includes(id as SlotAction) ? (id as SlotAction) : undefined;
            const off = slot !== undefined && !available(slot);
            return (
              <div key={id} className={off ? 'shortcut off' : 'shortcut'}>
                <dt>
                  {keys.map((key) => (
                    <kbd key={key}>{key}</kbd>
                  ))}
                </dt>
                <dd>
                  {t(`shortcuts.keys.${id}`)}
                  {off ? <span className="shortcut-off"> · {t('shortcuts.unavailable')}</span> : null}
                </dd>
              </div>
            );
          })}
        </dl>
      </div>
    </div>
  );
}
