/**
 * English catalogue of the fraud banner (i18next namespace `fraud`), registered by features/fraud/FraudBanner.tsx.
 * It defines the shape of `fraud.zh-CN.ts`, which is type-checked against it key by key.
 * The reasons themselves come from the server in both languages.
 */
export const fraudEn = {
  banner: {
    highTitle: 'Warning: this may be a fraud attempt',
    warnTitle: 'Be careful with this mail',
    intro: 'Pier found these signs:',
    reassuring: 'Reassuring:',
    fromMessage: 'Mail from {{from}}',
    safeAction: 'Do not pay, and do not send or change bank details, until you have called the customer on the number in their record.',
    loadFailed: 'The fraud check could not be loaded.',
  },
  phone: {
    title: 'Phone confirmation',
    required: 'Before replying with payment details or closing this conversation, call the customer and record the call.',
    done: 'A phone call after the latest warning has been recorded.',
    history: 'Recorded calls',
    entry: '{{caller}} called {{contact}} ({{phone}}) on {{time}}: {{outcome}}',
    contact: 'Number called (from the customer record)',
    noNumber:
      'No phone number is on the customer record. Add it to the customer record from a source you trust (contract, earlier correspondence, website); never use a number from this mail.',
    outcome: 'Outcome',
    outcomes: {
      confirmed: 'Confirmed: the customer sent this mail',
      denied: 'Denied: the customer did not send this mail',
      unreachable: 'Not reached',
    },
    calledAt: 'Time of the call',
    note: 'Note (optional)',
    submit: 'Record the call',
    saving: 'Saving…',
    saved: 'The call has been recorded.',
  },
  contacts: {
    title: 'Phone numbers on the customer record',
    hint: 'Take the number from a source you trust (contract, earlier correspondence, website), never from a suspicious mail.',
    none: 'No number',
    edit: 'Edit number',
    add: 'Add number',
    label: 'Phone number of {{who}}',
    placeholder: '+49 40 1234 5678',
    save: 'Save number',
    cancel: 'Cancel',
    saved: 'Number saved.',
    phone: 'Phone',
  },
  approval: {
    title: 'Waiting for a second approver',
    decidedTitle: 'Second approval',
    intro:
      'This mailbox requires a colleague to approve outgoing mail with payment details or a bill of lading. It is not sent until then.',
    mail: '“{{subject}}” to {{to}}, written by {{author}}',
    reasons: {
      payment_details: 'contains payment details',
      bill_of_lading: 'has a bill of lading attached',
    },
    approve: 'Approve and send',
    reject: 'Reject',
    note: 'Note (optional)',
    ownMail: 'You wrote this mail: a colleague must approve it.',
    cannotDecide: 'A colleague with reply access to this mailbox must approve it.',
    approved: 'Approved by {{name}} on {{time}}',
    rejected: 'Rejected by {{name}} on {{time}}: not sent',
  },
  settings: {
    title: 'Fraud protection',
    secondApprover: 'Outgoing mail with payment details or a bill of lading needs a second approver',
    secondApproverHint: 'A colleague other than the author approves such mail before it leaves; without approval it is never sent.',
    saved: 'Saved.',
  },
};

export type FraudCatalogue = typeof fraudEn;
