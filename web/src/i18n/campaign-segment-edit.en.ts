/**
 * English strings for editing and deleting a saved segment, and the company-tag and company-owner
 * rules, on Settings → campaigns (i18next namespace `campaignSegmentEdit`, decision 0060).
 */
export const campaignSegmentEditEn = {
  editTitle: 'Edit segment “{{name}}”',
  editIntro:
    'Changes apply to campaigns queued from now on; a campaign already queued keeps the recipients it had. The count below is live.',
  companyTags: 'Company tags (any of them, comma-separated)',
  ownerScope: 'Owner of',
  ownerOfCustomer: 'the customer',
  ownerAtCompany: 'anyone at their company',
  asSaved: 'As saved (several)',
  saveChanges: 'Save changes',
  cancel: 'Cancel',
  rules: 'Rules',
  edit: 'Edit',
  delete: 'Delete',
  confirmDelete: 'Delete the segment “{{name}}”? Campaigns already sent keep their figures.',
  deleted: 'Segment “{{name}}” deleted.',
  everyone: 'All customers',
  ruleTags: 'tags {{values}}',
  ruleCompanyTags: 'company tags {{values}}',
  ruleCountries: 'countries {{values}}',
  ruleDomains: 'companies {{values}}',
  ruleOwners: 'owner {{values}}',
  ruleCompanyOwners: 'owner at their company {{values}}',
  ruleLanguages: 'language {{values}}',
  ruleContactedWithin: 'mail within {{days}} days',
  ruleQuietFor: 'no mail for {{days}} days',
};

export type CampaignSegmentEditCatalogue = typeof campaignSegmentEditEn;
