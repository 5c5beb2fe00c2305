package org.vitaudit.config;

import org.vitaudit.choice.Choice;

/**
 * {@code audit.format}: how audit records are written on the audit topic ({@code
 * serde/AuditSerdes}).
 */
public enum AuditFormat implements Choice {
  /** Avro single-object encoding: compact, any Avro library with the schema reads it. */
  AVRO,
  /** The record as JSON text, for kcat and humans. */
  JSON
}
