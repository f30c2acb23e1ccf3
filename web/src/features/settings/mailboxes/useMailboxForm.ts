import type { ConnectionTestResult, CreateMailbox, MailboxDetail, MailboxPreset, UpdateMailbox } from '@pier/contracts';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type ChangeEvent, type FormEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { ApiRequestError } from '../../../api/client';
import { errorMessage } from '../../../i18n';
import { useStepUp } from '../../accounts/StepUp';
import { mailboxApi, refreshAfterChange, usePresets } from './api';
import {
  applyPreset,
  connectionChanged,
  FIELD_ORDER,
  type FieldName,
  type FormValues,
  guessPurpose,
  hasConnection,
  NO_CONNECTION,
  newMailboxValues,
  type Problems,
  secretRequired,
  serverFields,
  serverSettingsChanged,
  toConnection,
  validate,
  valuesFromDetail,
} from './form';
import type { Flash } from './MailboxesPage';

export const MAILBOX_LIST = '/settings/mailboxes';

/** Fields the connection test depends on: their problems show when "Test connection" is pressed. */
const TEST_FIELDS: readonly FieldName[] = ['imapHost', 'imapPort', 'smtpHost', 'smtpPort', 'user', 'secret'];

/** The text inputs `bindInput` wires up (value, ref for focusing, change handler, aria-invalid). */
export type TextField =
  | 'address'
  | 'displayName'
  | 'imapHost'
  | 'imapPort'
  | 'smtpHost'
  | 'smtpPort'
  | 'user'
  | 'secret'
  | 'oauthRefreshToken'
  | 'oauthClientId'
  | 'oauthClientSecret';

export type MailboxFormProps = { mode: 'add' } | { mode: 'edit'; detail: MailboxDetail; presets: readonly MailboxPreset[] };

/** Everything the form's parts read and call: the hook's answer. */
export type MailboxFormModel = ReturnType<typeof useMailboxForm>;

/**
 * The mailbox form's state: values, which problems show (after saving or testing was tried), the
 * save and test requests, and the input bindings. The parts of the form only render from it.
 */
export function useMailboxForm(props: MailboxFormProps) {
  const { t } = useTranslation('settings');
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const presets = usePresets();
  const detail = props.mode === 'edit' ? props.detail : undefined;
  const isEdit = props.mode === 'edit';
  const [values, setValues] = useState<FormValues>(() =>
    props.mode === 'edit' ? valuesFromDetail(props.detail, props.presets) : newMailboxValues(presets),
  );
  // The user name follows the address, and the purpose is guessed from it, until edited by hand.
  const touched = useRef({ user: isEdit, purpose: isEdit });
  const [attempted, setAttempted] = useState(false);
  const [testAttempted, setTestAttempted] = useState(false);
  const [needsSecretForTest, setNeedsSecretForTest] = useState(false);
  const inputs = useRef<Partial<Record<FieldName, HTMLElement | null>>>({});
  const id = useId();

  useEffect(() => {
    inputs.current[isEdit ? 'displayName' : 'address']?.focus();
  }, [isEdit]);

  // Saving servers or a secret, and testing them, need a fresh step-up (password + code).
  const stepUp = useStepUp();
  const save = useMutation({
    mutationFn: (form: FormValues): Promise<MailboxDetail> => stepUp.run(() => saveMailbox(form)),
    onSuccess: (saved) => {
      refreshAfterChange(queryClient, saved);
      const flash: Flash = { key: detail ? 'saved' : saved.connection ? 'added' : 'addedListener', address: saved.address };
      navigate(MAILBOX_LIST, { state: { flash } });
    },
  });
  const saveMailbox = (form: FormValues): Promise<MailboxDetail> => {
    const connection = hasConnection(form) ? toConnection(form) : undefined;
    if (!detail) {
      const body: CreateMailbox = {
        address: form.address.trim(),
        displayName: form.displayName.trim(),
        purpose: form.purpose,
        ...(connection ? { connection } : {}),
      };
      return mailboxApi.create(body);
    }
    const body: UpdateMailbox = {
      displayName: form.displayName.trim(),
      purpose: form.purpose,
      // Sending unchanged settings would restart nothing useful: only send the connection when it changed.
      ...(connection && connectionChanged(form, detail) ? { connection } : {}),
    };
    return mailboxApi.update(detail.id, body);
  };

  const test = useMutation<ConnectionTestResult, unknown, { byId: boolean }>({
    mutationFn: ({ byId }) =>
      stepUp.run(() =>
        byId && detail
          ? mailboxApi.test(detail.id)
          : mailboxApi.testDraft({ address: values.address.trim() || values.user.trim(), connection: toConnection(values) }),
      ),
  });

  const problems = validate(values, { mode: props.mode, detail });
  const shown: Problems = attempted
    ? problems
    : testAttempted
      ? Object.fromEntries(TEST_FIELDS.filter((field) => problems[field]).map((field) => [field, problems[field]]))
      : {};
  const rejected = serverFields(save.error ?? test.error);
  const addressTaken = save.error instanceof ApiRequestError && save.error.code === 'mailbox.address_taken';
  const errorFor = (field: FieldName): string | undefined => {
    const key = shown[field];
    if (key) return t(`form.validation.${key}`);
    if (field === 'address' && addressTaken) return errorMessage(save.error);
    return undefined;
  };
  const invalid = (field: FieldName) => rejected.includes(field) || Boolean(errorFor(field));
  const fieldLabel = (field: FieldName) => t(`form.fieldNames.${field}`);

  /** Changing anything the test depends on makes an earlier result stale: clear it. */
  const update = (patch: Partial<FormValues>, affectsTest = true) => {
    setValues((prev) => ({ ...prev, ...patch }));
    if (affectsTest) {
      test.reset();
      setNeedsSecretForTest(false);
    }
  };

  const bindInput = (field: TextField) => ({
    value: values[field],
    ref: (el: HTMLElement | null) => {
      inputs.current[field] = el;
    },
    onChange: (event: ChangeEvent<HTMLInputElement>) => {
      const value = event.target.value;
      if (field === 'user') touched.current.user = true;
      if (field === 'address') {
        const patch: Partial<FormValues> = { address: value };
        if (!touched.current.user) patch.user = value.trim();
        const guess = touched.current.purpose ? null : guessPurpose(value);
        if (guess) patch.purpose = guess;
        update(patch);
        return;
      }
      update({ [field]: value }, field !== 'displayName');
    },
    'aria-invalid': invalid(field) ? true : undefined,
  });

  /** The purpose select: choosing one by hand stops the guess from the address. */
  const choosePurpose = (purpose: FormValues['purpose']) => {
    touched.current.purpose = true;
    update({ purpose }, false);
  };

  /** The first sync folder's checkbox, focused when no folder is chosen. */
  const folderRef = (el: HTMLElement | null) => {
    inputs.current.syncFolders = el;
  };

  const focusFirst = (fields: readonly FieldName[]) => {
    const first = FIELD_ORDER.find((field) => fields.includes(field));
    if (first) inputs.current[first]?.focus();
  };

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (save.isPending) return;
    setAttempted(true);
    const fields = Object.keys(problems) as FieldName[];
    if (fields.length > 0) {
      focusFirst(fields);
      return;
    }
    save.mutate(values);
  };

  const onTest = () => {
    setTestAttempted(true);
    setNeedsSecretForTest(false);
    const blocking = TEST_FIELDS.filter((field) => problems[field]);
    if (blocking.length > 0) {
      focusFirst(blocking);
      return;
    }
    if (!values.secret && !secretRequired(values, detail)) {
      // No password typed, one is saved: the saved one can only be used for the saved settings.
      if (serverSettingsChanged(values, detail)) {
        setNeedsSecretForTest(true);
        inputs.current.secret?.focus();
        return;
      }
      test.mutate({ byId: true });
      return;
    }
    test.mutate({ byId: false });
  };

  const onPreset = (event: ChangeEvent<HTMLSelectElement>) => {
    const next = event.target.value;
    if (next === NO_CONNECTION) update({ preset: NO_CONNECTION });
    else setValues((prev) => applyPreset(prev, next, presets));
    test.reset();
    setNeedsSecretForTest(false);
  };

  return {
    id,
    mode: props.mode,
    detail,
    presets,
    values,
    stepUp,
    save,
    test,
    needsSecretForTest,
    errorFor,
    invalid,
    fieldLabel,
    update,
    bindInput,
    choosePurpose,
    folderRef,
    onSubmit,
    onTest,
    onPreset,
  };
}
