import type { Child } from 'hono/jsx';
import { CSRF_FIELD } from '../security/csrf-token.ts';

/** The hidden CSRF field every form carries. */
export function CsrfInput(props: { token: string }) {
  return <input type="hidden" name={CSRF_FIELD} value={props.token} />;
}

/** Properties of {@link Field}. */
export interface FieldProps {
  name: string;
  label: string;
  type?: 'text' | 'email' | 'password' | 'search' | 'date';
  value?: string | undefined;
  /** Inline validation message shown under the input (and announced). */
  error?: string | undefined;
  hint?: string;
  required?: boolean;
  autocomplete?: string;
  minLength?: number;
  maxLength?: number;
  /** Extra attributes for the input (`autocapitalize`, `spellcheck`, …). */
  extra?: Record<string, string | boolean>;
}

/** A labelled input with an optional hint and inline error wired up through `aria-describedby`. */
export function Field(props: FieldProps) {
  const id = `field-${props.name}`;
  const described = [props.hint ? `${id}-hint` : '', props.error ? `${id}-error` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div class="field">
      <label for={id}>{props.label}</label>
      {props.hint ? (
        <p class="hint" id={`${id}-hint`}>
          {props.hint}
        </p>
      ) : null}
      <input
        id={id}
        name={props.name}
        type={props.type ?? 'text'}
        value={props.value}
        required={props.required}
        autocomplete={props.autocomplete}
        minlength={props.minLength}
        maxlength={props.maxLength}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={described || undefined}
        {...props.extra}
      />
      {props.error ? (
        <p class="error-text" id={`${id}-error`}>
          {props.error}
        </p>
      ) : null}
    </div>
  );
}

/** A message box: `error` and `success` are announced to screen readers. */
export function Alert(props: { kind: 'error' | 'success' | 'info'; title?: string; children?: Child }) {
  return (
    <div class={`alert ${props.kind}`} role={props.kind === 'error' ? 'alert' : 'status'}>
      {props.title ? <strong>{props.title}</strong> : null}
      {props.children}
    </div>
  );
}
