"use client";
import { LaidOutForm } from "./form-renderer";
import type { DescribedObjectDef } from "./record-access";
import type { DataRecord } from "./types";

export { toDateTimeLocal } from "./form-values";

export type RecordFormProps = {
  /** With `access` (as `data.describe` returns it), fields the user may only read are shown locked and never sent. */
  object: DescribedObjectDef;
  /** The record to edit; omit to create a new one. */
  record?: DataRecord;
  /** Called with the saved record (the server's answer) after a create or update. */
  onSaved: (record: DataRecord) => void;
  onCancel?: () => void;
  /** Only these fields (by name, in this order); default: every field of the object. */
  fields?: string[];
  submitLabel?: string;
  className?: string;
};

/**
 * A form for one record of `object`, generated from its field metadata: the generated-form case
 * of FormRenderer (two columns, wide fields across both).
 */
export function RecordForm(props: RecordFormProps) {
  return <LaidOutForm {...props} form={null} />;
}
