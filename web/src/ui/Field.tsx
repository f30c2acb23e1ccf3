import type { ComponentProps } from 'react';

type FieldProps = Omit<ComponentProps<'input'>, 'id'> & {
  id: string;
  label: string;
  hint?: string | undefined;
  error?: string | null | undefined;
  /** Mark the input invalid without a message of its own (e.g. the server named this field). */
  invalid?: boolean | undefined;
};

/** A labelled input with an optional hint and error, wired up for screen readers. */
export function Field({ id, label, hint, error, invalid, className, ...input }: FieldProps) {
  const errorId = `${id}-error`;
  const hintId = `${id}-hint`;
  const describedBy = error ? errorId : hint ? hintId : undefined;
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        className={className ? `input ${className}` : 'input'}
        aria-invalid={error || invalid ? true : undefined}
        aria-describedby={describedBy}
        {...input}
      />
      {error ? (
        <p id={errorId} className="field-error">
          {error}
        </p>
      ) : null}
      {hint && !error ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
