import type { CampaignOverview } from './api';

/** A marketing mailbox picker ("Name <address>"), with a first "none" option when `none` is given. */
export function MailboxSelect(props: {
  id: string;
  label: string;
  mailboxes: CampaignOverview['mailboxes'];
  value: string;
  onChange: (mailboxId: string) => void;
  none?: string;
}) {
  return (
    <div className="field">
      <label htmlFor={props.id}>{props.label}</label>
      <select id={props.id} className="input" value={props.value} onChange={(e) => props.onChange(e.target.value)}>
        {props.none !== undefined ? <option value="">{props.none}</option> : null}
        {props.mailboxes.map((m) => (
          <option key={m.id} value={m.id}>
            {m.displayName} &lt;{m.address}&gt;
          </option>
        ))}
      </select>
    </div>
  );
}
