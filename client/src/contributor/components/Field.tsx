import type { ReactNode } from 'react';
import { errorIdFor } from '../lib/fieldErrors.js';

export interface FieldControlProps {
  id: string;
  'aria-invalid': boolean | undefined;
  'aria-describedby': string | undefined;
}

interface FieldProps {
  id: string;
  label: ReactNode;
  /** Messages for this field (from the API or the form's own checks). */
  errors?: readonly string[] | undefined;
  hint?: ReactNode;
  className?: string;
  /** Renders the input with the ids and ARIA attributes it needs. */
  children: (control: FieldControlProps) => ReactNode;
}

/** A labelled form control with its hint and its error messages, tied together for screen readers. */
export function Field({ id, label, errors, hint, className, children }: FieldProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const invalid = errors !== undefined && errors.length > 0;
  const errorId = invalid ? errorIdFor(id) : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`sb-c-field${invalid ? ' sb-c-field-invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {hint && (
        <p id={hintId} className="sb-c-hint">
          {hint}
        </p>
      )}
      {children({ id, 'aria-invalid': invalid || undefined, 'aria-describedby': describedBy })}
      {invalid && (
        <p id={errorId} className="sb-c-field-error">
          {errors.join(' ')}
        </p>
      )}
    </div>
  );
}

interface ChoiceFieldsetProps {
  /** Base id: the hint is `<id>-hint`, the error message `<id>-error`. */
  id: string;
  legend: ReactNode;
  errors?: readonly string[] | undefined;
  hint?: ReactNode;
  /** The radio buttons or checkboxes. */
  children: ReactNode;
}

/** A group of radio buttons or checkboxes under one legend, with its hint and its error messages. */
export function ChoiceFieldset({ id, legend, errors, hint, children }: ChoiceFieldsetProps) {
  const hintId = hint ? `${id}-hint` : undefined;
  const invalid = errors !== undefined && errors.length > 0;
  return (
    <fieldset className="sb-c-fieldset" aria-describedby={invalid ? errorIdFor(id) : hintId}>
      <legend>{legend}</legend>
      {hint && (
        <p id={hintId} className="sb-c-hint">
          {hint}
        </p>
      )}
      {invalid && (
        <p id={errorIdFor(id)} className="sb-c-field-error">
          {errors.join(' ')}
        </p>
      )}
      {children}
    </fieldset>
  );
}
