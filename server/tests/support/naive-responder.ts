import { deliver, withImap } from './mail-server.js';

/**
 * The auto-responder of a careless mail system: it answers every mail that lands in `user`'s
 * INBOX with a fresh mail to its sender, without Auto-Submitted, X-Loop or Precedence — the other
 * half of the 326-mail loop of issue 14. It polls the real Dovecot and replies through Postfix.
 */
export function startNaiveResponder(user: string): { replies(): number; stop(): Promise<void> } {
  let lastUid = 0;
  let replies = 0;
  let running = true;
  const loop = (async () => {
    while (running) {
      const fresh = await withImap(user, async (client) => {
        const lock = await client.getMailboxLock('INBOX');
        try {
          const found: { from: string; subject: string }[] = [];
          for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, envelope: true }, { uid: true })) {
            if (message.uid <= lastUid) continue; // `N:*` names the last message even when it is older
            lastUid = message.uid;
            const from = message.envelope?.from?.[0]?.address;
            if (from) found.push({ from, subject: message.envelope?.subject ?? '' });
          }
          return found;
        } finally {
          lock.release();
        }
      });
      for (const mail of fresh) {
        await deliver({ from: user, to: mail.from, subject: `Re: ${mail.subject}`, text: 'Thank you for your mail. We will answer soon.' });
        replies++;
      }
      if (fresh.length === 0) await new Promise((resolve) => setTimeout(resolve, 250));
    }
  })();
  return {
    replies: () => replies,
    stop: async () => {
      running = false;
      await loop;
    },
  };
}
