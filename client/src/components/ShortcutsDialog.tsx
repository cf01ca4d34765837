import { forwardRef } from 'react';
import { useTranslation } from 'react-i18next';

/** The player's keyboard shortcuts, in a native modal <dialog> (focus trap and Esc come with it). */
export const ShortcutsDialog = forwardRef<HTMLDialogElement, { video: boolean }>(function ShortcutsDialog(
  { video },
  ref,
) {
  const { t } = useTranslation();
  const rows: Array<[string[], string]> = [
    [[t('shortcuts.keySpace'), 'k'], t('shortcuts.playPause')],
    [['j', '←'], t('shortcuts.back')],
    [['l', '→'], t('shortcuts.forward')],
    [['c'], t('shortcuts.captions')],
    ...(video ? [[['f'], t('shortcuts.fullscreen')] as [string[], string]] : []),
    [['?'], t('shortcuts.help')],
  ];
  return (
    <dialog ref={ref} className="dialog" aria-labelledby="shortcuts-title">
      <h2 id="shortcuts-title">{t('shortcuts.title')}</h2>
      <p>{t('shortcuts.intro')}</p>
      <table className="shortcuts">
        <thead>
          <tr>
            <th scope="col">{t('shortcuts.key')}</th>
            <th scope="col">{t('shortcuts.action')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(([keys, action]) => (
            <tr key={action}>
              <td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ` ${t('shortcuts.or')} `}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{action}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog">
        <button type="submit">{t('shortcuts.close')}</button>
      </form>
    </dialog>
  );
});
