import { useTranslation } from 'react-i18next';
import { usePresence } from './useLive';
import './strings';
import './live.css';

/**
 * "Li Wei is viewing" / "Li Wei is replying" for the open conversation, and
 * announces that this user is viewing it. Renders nothing when nobody else is
 * there. Mount it in the conversation header.
 */
export function PresenceBar({ conversationId }: { conversationId: string }) {
  const { t } = useTranslation('live');
  const people = usePresence(conversationId);
  if (people.length === 0) return null;
  return (
    <ul className="presence" aria-label={t('presence.label')} data-testid="presence">
      {people.map((person) => (
        <li key={person.userId} className={`presence-person presence-${person.state}`} data-state={person.state}>
          <span className="presence-dot" aria-hidden="true" />
          {t(person.state === 'replying' ? 'presence.replying' : 'presence.viewing', { name: person.name })}
        </li>
      ))}
    </ul>
  );
}
