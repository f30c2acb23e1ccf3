export { applyRulesToMessage, type RulesDeps, rulesJobHandlers, rulesSubscriber } from './apply.js';
export { type EvaluableRule, type RuleFacts, ruleMatches, selectRules } from './evaluate.js';
export { type BusinessHoursOf, factsOfParsedMail, insideHours, mailOrigin, receivingHostsOf, wroteBefore } from './facts.js';
export { previewRule } from './preview.js';
export { rulesRoutes } from './routes.js';
export { RULES_SCHEDULE, rulesScheduleJob, runScheduleRules, unansweredWorkingMillis } from './schedule.js';
export {
  createRule,
  deleteRule,
  listRules,
  type RuleEditor,
  reorderRules,
  rulesForMailboxes,
  setRuleEnabled,
  updateRule,
} from './store.js';
export { testMailFiles } from './test-files.js';
