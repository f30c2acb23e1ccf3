export { AutoReplySetting } from './AutoReplySetting';
