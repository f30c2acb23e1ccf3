import { useNavigate } from 'react-router';
import { Composer } from '.';

/** /compose: new mail from a public mailbox the agent may send from. */
export function ComposePage() {
  const navigate = useNavigate();
  return (
    <main className="compose-page" style={{ maxWidth: 860, margin: '24px auto', padding: '0 16px' }}>
      <Composer mode="new" onClose={() => navigate('/')} />
    </main>
  );
}
