import { v7 } from 'uuid';

/** Time-ordered ids (UUIDv7): sortable by creation, unique across nodes without coordination. */
export function newId(): string {
  return v7();
}
