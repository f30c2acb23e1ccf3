import { z } from 'zod';

export const locales = ['zh-CN', 'en'] as const;
export const LocaleSchema = z.enum(locales);
export type Locale = z.infer<typeof LocaleSchema>;

/** Every API error has this body; `code` is stable and translated by the web app. */
export const ApiErrorSchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type ApiError = z.infer<typeof ApiErrorSchema>;

/** Error codes the server can answer with. The web catalogue has a message for each. */
export const errorCodes = [
  'auth.required',
  'auth.invalid_credentials',
  'auth.forbidden',
  'auth.rate_limited',
  'api.rate_limited',
  'auth.user_disabled',
  'csrf.invalid',
  'setup.already_done',
  'request.invalid',
  'request.malformed_json',
  'request.not_found',
  'mailbox.not_found',
  'mailbox.address_taken',
  /** Changing a server's host, port or TLS mode needs the password (or token) entered again. */
  'mailbox.secret_required',
  /** A mailbox server resolves to a private or reserved address that PIER_ALLOW_PRIVATE_HOSTS does not allow. */
  'mailbox.private_host',
  'mailbox.holiday_calendar_unknown',
  'mailbox.sla_policy_duplicate',
  'user.email_taken',
  'server.error',
  'conversation.not_found',
  'outbox.collision',
  'outbox.not_found',
  'outbox.not_cancellable',
  'outbox.invalid_state',
  'outbox.no_smtp',
  'outbox.upload_too_large',
  'outbox.empty_body',
  'message.not_found',
  'attachment.not_found',
  'fraud.phone_not_on_record',
  'fraud.assessment_not_found',
  'fraud.not_flagged',
  'fraud.already_cleared',
  'fraud.party_invalid',
  'fraud.party_free_mail',
  'fraud.party_already_trusted',
  'fraud.party_not_found',
  'fraud.party_already_revoked',
  'fraud.impostor_contact',
  'fraud.caller_unknown',
  'fraud.phone_confirmation_required',
  'fraud.approver_is_author',
  'fraud.phone_invalid',
  'contact.not_found',
  'auth.second_factor_required',
  'auth.enrolment_required',
  'auth.step_up_required',
  'auth.locked_out',
  'auth.weak_password',
  'auth.link_invalid',
  'two_factor.invalid_code',
  'two_factor.already_enrolled',
  'two_factor.not_started',
  'two_factor.required_by_policy',
  'passkey.invalid',
  'passkey.already_registered',
  'passkey.none',
  'passkey.not_found',
  'passkey.unavailable',
  'passkey.challenge_expired',
  'user.not_found',
  'user.last_super_admin',
  'user.super_admin_limit',
  'signature.unknown_variable',
  'signature.remote_logo',
  'signature.logo_type',
  'signature.logo_too_large',
  'signature.logo_dimensions',
  'signature.logo_not_found',
  'session.not_found',
  'conversation.assignee_invalid',
  'conversation.snooze_invalid',
  'conversation.merge_invalid',
  'note.mention_invalid',
  'team.not_found',
  'team.name_taken',
  'team.lead_invalid',
  'team.member_not_found',
  'mailbox_access.not_found',
  'forwarding.not_found',
  'forwarding.delivery_not_found',
  'forwarding.delivery_changed',
  'forwarding.rule_disabled',
  'rule.not_found',
  'rule.forbidden',
  'rule.regex_invalid',
  'rule.forward_needs_mailbox',
  'rule.forwarding_rule_invalid',
  'rule.reorder_invalid',
  'push.endpoint_refused',
  'push.subscription_not_found',
  /** An API token may not use this route at all (sign-in, second factor, sessions, tokens, users, policy). */
  'auth.token_not_allowed',
  /** The token's scope (read, write, admin) does not cover this route. */
  'auth.token_scope',
  'token.not_found',
  'webhook.not_found',
  /** A webhook URL resolves to a private or reserved address (decision 0029). */
  'webhook.private_host',
  'webhook.delivery_not_found',
  'knowledge.not_found',
  'knowledge.folder_not_found',
  'knowledge.duplicate_language',
  'knowledge.upload_not_found',
  'knowledge.no_version',
  'knowledge.mailbox_required',
  'knowledge.not_sent',
  'knowledge.unknown_variable',
  'customer.not_found',
  'customer.owned',
  'customer.merge_invalid',
  'customer.phone_invalid',
  'customer.csv_invalid',
  'campaign.not_found',
  'campaign.not_marketing_mailbox',
  'campaign.list_not_found',
  'campaign.list_exists',
  'campaign.list_is_segment',
  'campaign.no_member',
  'campaign.no_public_url',
  'campaign.invalid_state',
  'campaign.list_not_segment',
  'campaign.segment_in_use',
  /** A double opt-in confirmation mail may not go again yet (decision 0059: an hour apart, five at most). */
  'campaign.opt_in_too_soon',
  /** A suppressed address is not added to a list by hand (decision 0068); details: reason, since. */
  'campaign.address_suppressed',
  'campaign.member_exists',
  /** Decision 0072: lifting an address that is not on the suppression list. */
  'campaign.not_suppressed',
  /** Decision 0072: an unsubscribe or complaint is the person's wish; no admin lifts it. details: reason. */
  'campaign.suppression_not_liftable',
  /** Decision 0072: editing or removing an address that is not a member of the list. */
  'campaign.member_not_found',
] as const;
export type ErrorCode = (typeof errorCodes)[number];

/** Header the web app sends on every state-changing request (double-submit CSRF token). */
export const CSRF_HEADER = 'x-csrf-token';
/** Cookie holding the CSRF token; readable by the page so it can echo it in CSRF_HEADER. */
export const CSRF_COOKIE = 'pier_csrf';
export const SESSION_COOKIE = 'pier_session';
