/** Customers (migration 0051_customers), owned by modules/contacts (decision 0048). */
export type CustomerTables = {
  contact_phones: ContactPhonesTable;
  customer_notes: CustomerNotesTable;
  customer_owner_history: CustomerOwnerHistoryTable;
};

/** A contact's further numbers (E.164); the one verified for call-back is contacts.phone_e164. */
export interface ContactPhonesTable {
  id: string;
  contact_id: string;
  phone_e164: string;
  label: string | null;
  created_at: number;
}

/** A note on a contact or a company (exactly one of the two is set). */
export interface CustomerNotesTable {
  id: string;
  contact_id: string | null;
  company_id: string | null;
  author_id: string | null;
  body: string;
  created_at: number;
}

/** One row per change of a contact's owner; owner_id null: returned to the pool. */
export interface CustomerOwnerHistoryTable {
  id: string;
  contact_id: string;
  owner_id: string | null;
  reason: 'assigned' | 'claimed' | 'released' | 'handover' | 'pool_return' | 'import';
  actor_id: string | null;
  at: number;
}
