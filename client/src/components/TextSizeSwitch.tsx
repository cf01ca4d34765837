import { useLayoutEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';

const STORAGE_KEY = 'schichtbuch.textSize';
type TextSize = 'normal' | 'large';

function storedSize(): TextSize {
  try {
    return globalThis.localStorage?.getItem(STORAGE_KEY) === 'large' ? 'large' : 'normal';
  } catch {
    return 'normal';
  }
}

/** A / A+: larger text for the whole site (root font size; every size is in rem), remembered in localStorage. */
export function TextSizeSwitch() {
  const { t } = useTranslation();
  const [size, setSize] = useState<TextSize>(storedSize);

  useLayoutEffect(() => {
    document.documentElement.classList.toggle('text-large', size === 'large');
    try {
      globalThis.localStorage?.setItem(STORAGE_KEY, size);
    } catch {
      // storage blocked: the setting lasts for this page view
    }
  }, [size]);

  return (
    <div className="text-size-switch" role="group" aria-label={t('textSize.label')}>
      <button
        type="button"
        aria-pressed={size === 'normal'}
        aria-label={t('textSize.normal')}
        onClick={() => setSize('normal')}
      >
        A
      </button>
      <button
        type="button"
        aria-pressed={size === 'large'}
        aria-label={t('textSize.large')}
        onClick={() => setSize('large')}
        className="text-size-large"
      >
        A+
      </button>
    </div>
  );
}
