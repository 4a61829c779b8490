/** The domain's profile page layout (profileLayout / putProfileLayout): which panels, in what order. */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from './context.js';
import { DEFAULT_PANELS } from './profile.js';
import type { TextKey } from './i18n.js';

export function LayoutPage() {
  const { api, i18n } = useSession();
  const [order, setOrder] = useState<{ panel: string; shown: boolean }[] | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api.gql<{ profileLayout: { panels: string[] } }>('{ profileLayout { panels } }').then(
      (d) => setOrder([...d.profileLayout.panels.map((p) => ({ panel: p, shown: true })), ...DEFAULT_PANELS.filter((p) => !d.profileLayout.panels.includes(p)).map((p) => ({ panel: p, shown: false }))]),
      (e: Error) => setError(e.message),
    );
  }, []);

  function move(i: number, by: number): void {
    if (!order) return;
    const j = i + by;
    if (j < 0 || j >= order.length) return;
    const next = [...order];
    [next[i], next[j]] = [next[j]!, next[i]!];
    setOrder(next);
    requestAnimationFrame(() => document.getElementById(`move-${by < 0 ? 'up' : 'down'}-${next[j]!.panel}`)?.focus());
  }

  async function save(): Promise<void> {
    if (!order) return;
    try {
      await api.gql('mutation($p: [ProfilePanel!]!) { putProfileLayout(panels: $p) { panels } }', { p: order.filter((o) => o.shown).map((o) => o.panel) });
      setMessage(i18n.t('layoutSaved'));
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <section class="panel" aria-labelledby="layout-title">
      <h1 id="layout-title">{i18n.t('layout')}</h1>
      <p class="help">{i18n.t('layoutHelp')}</p>
      <ol class="layout">
        {order?.map((o, i) => (
          <li key={o.panel}>
            <input type="checkbox" id={`show-${o.panel}`} checked={o.shown} disabled={o.panel === 'CARD'} onChange={() => setOrder(order.map((x, j) => (j === i ? { ...x, shown: !x.shown } : x)))} />
            <label for={`show-${o.panel}`}>{i18n.t(`panel_${o.panel}` as TextKey)}</label>
            <button type="button" id={`move-up-${o.panel}`} class="secondary" aria-label={`${i18n.t('up')}: ${i18n.t(`panel_${o.panel}` as TextKey)}`} onClick={() => move(i, -1)}>↑</button>
            <button type="button" id={`move-down-${o.panel}`} class="secondary" aria-label={`${i18n.t('down')}: ${i18n.t(`panel_${o.panel}` as TextKey)}`} onClick={() => move(i, 1)}>↓</button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={() => void save()}>{i18n.t('saveLayout')}</button>
      {message && <p role="status" class="ok">{message}</p>}
      {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
    </section>
  );
}
