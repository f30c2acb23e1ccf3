import type { ReactNode } from 'react';
import { errorMessage } from '../../i18n';

/** A reason shorter than this is refused: the audit record must say something. */
export const REASON_MIN_LENGTH = 3;

export function reasonIsGiven(reason: string): boolean {
  return reason.trim().length >= REASON_MIN_LENGTH;
}

/**
 * The reason a person gives for a fraud decision ("Not fraud", "Trust this sender", revoking a
 * trust mark; each audited with it), the server's refusal if any, and the form's actions.
 */
export function ReasonFields(props: {
  id: string;
  label: string;
  reason: string;
  onReason: (reason: string) => void;
  error: unknown;
  errorClassName?: string;
  pending: boolean;
  submitLabel: string;
  savingLabel: string;
  cancelLabel: string;
  onCancel: () => void;
  submitTestId?: string;
  /** More actions after Cancel (a link to the settings page). */
  children?: ReactNode;
}) {
  return (
    <>
      <label htmlFor={`${props.id}-reason`}>{props.label}</label>
      <textarea
        id={`${props.id}-reason`}
        className="input"
        required
        minLength={REASON_MIN_LENGTH}
        maxLength={500}
        value={props.reason}
        onChange={(event) => props.onReason(event.target.value)}
      />
      {props.error ? (
        <p role="alert" className={props.errorClassName ?? 'fraud-phone-required'}>
          {errorMessage(props.error)}
        </p>
      ) : null}
      <div className="fraud-clear-actions">
        <button type="submit" className="btn" disabled={props.pending || !reasonIsGiven(props.reason)} data-testid={props.submitTestId}>
          {props.pending ? props.savingLabel : props.submitLabel}
        </button>
        <button type="button" className="btn" onClick={props.onCancel}>
          {props.cancelLabel}
        </button>
        {props.children}
      </div>
    </>
  );
}
