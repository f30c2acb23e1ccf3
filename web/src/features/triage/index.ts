export { NotesComposer } from './NotesComposer';
export { NotesComposerSlot, TimelineEventSlot, TimelineNoteSlot, TriageToolbarSlot } from './slots';
export { TimelineEvent, TimelineNote } from './TimelineItems';
export { TriagePanel } from './TriagePanel';
export { TriageToolbar } from './TriageToolbar';
