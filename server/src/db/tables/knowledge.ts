/**
 * Tables of the knowledge module (migration 0055): the FAQ library that grew out of the
 * flat saved replies. An answer lives in a folder, has one version per language, may carry
 * attachments (blobs of the blob store) and counts how often it was inserted.
 */
export interface KnowledgeFoldersTable {
  id: string;
  name: string;
  position: number;
  created_at: number;
}

export interface KnowledgeAnswersTable {
  id: string;
  /** null: not filed. */
  folder_id: string | null;
  /** The question it answers, in the team's words (shown on the FAQ page and in the composer). */
  title: string;
  /** Times an agent inserted it into a reply. */
  use_count: number;
  last_used_at: number | null;
  /** The sent mail it was made from ("turn this reply into an FAQ answer"), if any. */
  source_message_id: string | null;
  created_by: string;
  created_at: number;
  updated_by: string;
  updated_at: number;
}

export interface KnowledgeVersionsTable {
  answer_id: string;
  /** BCP 47 tag as the editor chose it: zh-CN, en, de, es… */
  language: string;
  body_html: string;
  /** The body as plain text, for search and suggestions. */
  body_text: string;
  updated_by: string;
  updated_at: number;
}

export interface KnowledgeAttachmentsTable {
  id: string;
  answer_id: string;
  sha256: string;
  filename: string;
  mime: string;
  size: number;
  created_at: number;
}

export type KnowledgeTables = {
  knowledge_folders: KnowledgeFoldersTable;
  knowledge_answers: KnowledgeAnswersTable;
  knowledge_versions: KnowledgeVersionsTable;
  knowledge_attachments: KnowledgeAttachmentsTable;
};
