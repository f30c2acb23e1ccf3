export { NotesComposer } from './NotesComposer';
export { TimelineEvent, TimelineNote } from './TimelineItems';
export { TriagePanel } from './TriagePanel';
export { TriageToolbar } from './TriageToolbar';
