import type { CampaignSegmentEditCatalogue } from './campaign-segment-edit.en';

/** 设置 → 群发邮件中编辑、删除已保存的客户分组及“公司标签”“公司负责人”条件（命名空间 `campaignSegmentEdit`）。 */
export const campaignSegmentEditZhCN: CampaignSegmentEditCatalogue = {
  editTitle: '编辑分组“{{name}}”',
  editIntro: '修改只影响此后排队的群发邮件；已排队的群发邮件保留原有收件人。下方人数实时统计。',
  companyTags: '公司标签（任一即可，用逗号分隔）',
  ownerScope: '负责人范围',
  ownerOfCustomer: '该客户本人的负责人',
  ownerAtCompany: '其公司中任一客户的负责人',
  asSaved: '按已保存的（多个）',
  saveChanges: '保存修改',
  cancel: '取消',
  rules: '条件',
  edit: '编辑',
  delete: '删除',
  confirmDelete: '删除分组“{{name}}”？已发送的群发邮件保留其统计数据。',
  deleted: '分组“{{name}}”已删除。',
  everyone: '全部客户',
  ruleTags: '标签 {{values}}',
  ruleCompanyTags: '公司标签 {{values}}',
  ruleCountries: '国家 {{values}}',
  ruleDomains: '公司 {{values}}',
  ruleOwners: '负责人 {{values}}',
  ruleCompanyOwners: '公司负责人 {{values}}',
  ruleLanguages: '语言 {{values}}',
  ruleContactedWithin: '{{days}} 天内有往来',
  ruleQuietFor: '{{days}} 天无往来',
};
