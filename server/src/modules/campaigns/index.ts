export { type CampaignCounts, campaignCounts, findCampaign, queueCampaign, setCampaignPaused } from './campaigns.js';
export { campaignFeedbackSubscriber, campaignsAnsweredBy } from './feedback.js';
export { createSegmentList, findListByName, importListCsv, previewList, previewSegment } from './lists.js';
export { unsubscribeRoutes } from './public-routes.js';
export { type CampaignRouteDeps, campaignRoutes } from './routes.js';
export { type CampaignWorkerDeps, campaignJobHandlers } from './send-job.js';
export { isSuppressed, suppressAddress } from './suppression.js';
export { setProviderLimits } from './throttle.js';
export { unsubscribeKeyFrom } from './tokens.js';
