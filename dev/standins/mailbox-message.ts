// What the local mailbox keeps of each message and lists at GET /messages (no Node imports: tests in workerd read it).
export interface StoredMessage {
  id: string;
  messageId: string;
  /** Every recipient (to, cc, bcc) as a bare address. */
  to: string[];
  /** `Name <address>` or the bare address, as a mail client shows it. */
  from: string;
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  sentAt: string;
}
