import type { CompanyUpdate, ContactUpdate, CsvField, CustomerPoolSettings } from '@pier/contracts';
import {
  CompanyDetailSchema,
  CompanyListSchema,
  ContactDetailSchema,
  ContactListSchema,
  CsvImportResultSchema,
  CsvPreviewSchema,
  CustomerPoolSettingsSchema,
  CustomerTimelineSchema,
  MergeContactsResultSchema,
} from '@pier/contracts';
import { http } from '../../api/client';

export type CustomerFilters = {
  q: string;
  country: string;
  owner: string;
  tag: string;
  lastContact: '' | 'within30' | 'quiet90' | 'quiet180';
};

function listQuery(f: CustomerFilters, limit: number): string {
  const p = new URLSearchParams({ limit: String(limit) });
  if (f.q.trim()) p.set('q', f.q.trim());
  if (/^[A-Za-z]{2}$/.test(f.country.trim())) p.set('country', f.country.trim().toUpperCase());
  if (f.owner) p.set('owner', f.owner);
  if (f.tag.trim()) p.set('tag', f.tag.trim());
  if (f.lastContact === 'within30') p.set('contactedWithinDays', '30');
  if (f.lastContact === 'quiet90') p.set('quietForDays', '90');
  if (f.lastContact === 'quiet180') p.set('quietForDays', '180');
  return p.toString();
}

const contact = (id: string) => `/api/customers/contacts/${encodeURIComponent(id)}`;
const company = (id: string) => `/api/customers/companies/${encodeURIComponent(id)}`;

/** The customers API (server/src/modules/contacts/customer-routes.ts, decision 0048). */
export const customersApi = {
  contacts: (f: CustomerFilters, limit: number) =>
    http.get(`/api/customers/contacts?${listQuery(f, limit)}`, import.meta.env.DEV && ContactListSchema),
  companies: (f: CustomerFilters, limit: number) =>
    http.get(`/api/customers/companies?${listQuery(f, limit)}`, import.meta.env.DEV && CompanyListSchema),
  owners: () => http.get<{ items: { id: string; name: string }[] }>('/api/customers/owners'),
  contact: (id: string) => http.get(contact(id), import.meta.env.DEV && ContactDetailSchema),
  company: (id: string) => http.get(company(id), import.meta.env.DEV && CompanyDetailSchema),
  updateContact: (id: string, body: ContactUpdate) => http.patch(contact(id), body, import.meta.env.DEV && ContactDetailSchema),
  updateCompany: (id: string, body: CompanyUpdate) => http.patch(company(id), body, import.meta.env.DEV && CompanyDetailSchema),
  contactTimeline: (id: string) => http.get(`${contact(id)}/timeline`, import.meta.env.DEV && CustomerTimelineSchema),
  companyTimeline: (id: string) => http.get(`${company(id)}/timeline`, import.meta.env.DEV && CustomerTimelineSchema),
  addNote: (kind: 'contact' | 'company', id: string, body: string) =>
    http.post(`${kind === 'contact' ? contact(id) : company(id)}/notes`, { body }),
  merge: (keepId: string, mergeIds: string[]) =>
    http.post('/api/customers/merge', { keepId, mergeIds }, import.meta.env.DEV && MergeContactsResultSchema),
  preview: (csv: string) => http.post('/api/customers/import/preview', { csv }, import.meta.env.DEV && CsvPreviewSchema),
  import: (csv: string, mapping: CsvField[]) =>
    http.post('/api/customers/import', { csv, mapping }, import.meta.env.DEV && CsvImportResultSchema),
  poolSettings: () => http.get('/api/customers/pool-settings', import.meta.env.DEV && CustomerPoolSettingsSchema),
  savePoolSettings: (s: CustomerPoolSettings) =>
    http.put('/api/customers/pool-settings', s, import.meta.env.DEV && CustomerPoolSettingsSchema),
  exportUrl: '/api/customers/export.csv',
};

/** A file's text: UTF-8, else GB18030 (Excel on a Chinese Windows saves "CSV" so). */
export async function readCsvFile(file: File): Promise<string> {
  const bytes = await file.arrayBuffer();
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}
