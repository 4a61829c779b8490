/**
 * Identity resolution (identity contract): match suggestions with confidence and the fields behind
 * them, merge with a dry-run preview, merge history with undo. Shown only when the server has
 * similarProfiles / mergeProfiles (read at sign-in).
 */
import { useEffect, useState } from 'preact/hooks';
import { useSession } from './context.js';
import { Panel, type Profile } from './profile.js';

interface Match { confidence: number; method: string; fields: { field: string; level: string; weight: number }[]; profile: { id: string; fullName: string | null; phoneNumber: string | null; emailAddress: string | null } }
interface Preview { result: { fields: Record<string, unknown> }; movedObjects: { id: string }[] }

export function IdentityPanel({ profile, reload }: { profile: Profile; reload: () => Promise<void> }) {
  const { api, i18n, caps } = useSession();
  const [matches, setMatches] = useState<Match[] | null>(null);
  const [preview, setPreview] = useState<{ other: string; data: Preview } | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  async function loadMatches(): Promise<void> {
    if (!caps.similarProfiles) return;
    try {
      const d = await api.gql<{ similarProfiles: Match[] }>(
        'query($id: ID!) { similarProfiles(profileId: $id, first: 5) { confidence method fields { field level weight } profile { id fullName phoneNumber emailAddress } } }',
        { id: profile.id },
      );
      setMatches(d.similarProfiles);
    } catch (err) {
      setError((err as Error).message);
    }
  }
  useEffect(() => void loadMatches(), [profile.id, profile.version]);

  async function merge(other: string, dryRun: boolean): Promise<void> {
    setError(null);
    try {
      const d = await api.gql<{ mergeProfiles: Preview }>(
        'mutation($input: MergeProfilesInput!) { mergeProfiles(input: $input) { dryRun result { id version fields } movedObjects { id kind fromProfileId } merge { id } } }',
        { input: { mainProfileId: profile.id, profileIdsToMerge: [other], dryRun } },
      );
      if (dryRun) setPreview({ other, data: d.mergeProfiles });
      else {
        setPreview(null);
        setMessage(i18n.t('merged'));
        await reload();
      }
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function undo(mergeId: string): Promise<void> {
    try {
      await api.gql('mutation($id: ID!) { unmergeProfiles(mergeId: $id) { restoredProfileIds } }', { id: mergeId });
      setMessage(i18n.t('unmerged'));
      await reload();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  return (
    <Panel id="identity" title={i18n.t('identity')}>
      {caps.similarProfiles && (
        <>
          <h3>{i18n.t('similar')}</h3>
          {matches && matches.length === 0 && <p class="muted">{i18n.t('none')}</p>}
          <ul class="matches">
            {matches?.map((m) => (
              <li key={m.profile.id} data-match={m.profile.id}>
                <a href={`#/profile/${m.profile.id}`}>{m.profile.fullName || m.profile.emailAddress || m.profile.id}</a>{' '}
                <span class="tag">{i18n.t('confidence')} {new Intl.NumberFormat(i18n.locale, { style: 'percent' }).format(m.confidence)}</span>
                <span class="muted small"> {m.fields.map((f) => `${i18n.label(f.field)}: ${f.level}`).join(', ')}</span>
                {caps.merge && <button type="button" onClick={() => void merge(m.profile.id, true)}>{i18n.t('mergeInto')}</button>}
              </li>
            ))}
          </ul>
        </>
      )}
      {preview && (
        <div class="preview" role="region" aria-label={i18n.t('preview')}>
          <h3>{i18n.t('preview')}</h3>
          <dl class="fields">
            {Object.entries(preview.data.result.fields).filter(([, v]) => v !== null && typeof v !== 'object').map(([k, v]) => <div key={k}><dt>{i18n.label(k)}</dt><dd>{String(v)}</dd></div>)}
          </dl>
          <p>{i18n.t('movedObjects', { n: i18n.num(preview.data.movedObjects.length) })}</p>
          <button type="button" onClick={() => void merge(preview.other, false)}>{i18n.t('confirmMerge')}</button>{' '}
          <button type="button" class="secondary" onClick={() => setPreview(null)}>{i18n.t('cancel')}</button>
        </div>
      )}
      {caps.merge && (
        <>
          <h3>{i18n.t('mergeHistory')}</h3>
          {(profile.merges ?? []).length === 0 ? <p class="muted">{i18n.t('none')}</p> : (
            <ul class="merges">
              {profile.merges!.map((m) => (
                <li key={m.id} data-merge={m.id}>
                  {i18n.dateTimeOf(m.createdAt)} · {m.origin} · {m.mergedProfileIds.length}
                  {m.unmergedAt ? <span class="muted"> {i18n.t('undone', { at: i18n.dateTimeOf(m.unmergedAt) })}</span> : <button type="button" onClick={() => void undo(m.id)}>{i18n.t('undo')}</button>}
                </li>
              ))}
            </ul>
          )}
        </>
      )}
      {message && <p role="status" class="ok">{message}</p>}
      {error && <p role="alert" class="error">{i18n.t('error', { msg: error })}</p>}
    </Panel>
  );
}
